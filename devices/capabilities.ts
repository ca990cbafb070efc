import type { AccountTarget, DeviceTarget } from './contract';
import { DEFAULT_TIKTOK_PACKAGE } from './selectors/tiktok';

/** Launcher activity shared by TikTok and its regional/clone packages (same code base). */
export const TIKTOK_ACTIVITY = 'com.ss.android.ugc.aweme.splash.SplashActivity';

/** Capability keys W3C defines; every other key is vendor-specific and needs a prefix. */
const W3C_KEYS = new Set([
  'browserName',
  'browserVersion',
  'platformName',
  'acceptInsecureCerts',
  'pageLoadStrategy',
  'proxy',
  'setWindowRect',
  'timeouts',
  'strictFileInteractability',
  'unhandledPromptBehavior',
  'webSocketUrl',
]);

/** Operators write `systemPort`; Appium 3 only accepts `appium:systemPort`. */
export function prefixCapabilities(caps: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(caps ?? {})) {
    out[W3C_KEYS.has(key) || key.includes(':') ? key : `appium:${key}`] = value;
  }
  return out;
}

/** FNV-1a: stable across processes and releases, unlike anything seeded. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const PORT_SLOTS = 10_000;

/**
 * UiAutomator2 forwards one host port per session (`systemPort`) and one for MJPEG
 * screenshots; two phones on one Appium server must not share them. Deriving them from the
 * serial keeps a phone on the same ports across runs and workers, below Linux's ephemeral
 * range (32768+). Two serials can still land on the same slot (about 2% for 20 phones):
 * set `appium:systemPort` / `appium:mjpegServerPort` in one device's capabilities to fix it.
 */
export function portsForSerial(serial: string): { systemPort: number; mjpegServerPort: number } {
  const slot = hash32(serial) % PORT_SLOTS;
  return { systemPort: 10_000 + slot, mjpegServerPort: 20_000 + slot };
}

export interface CapabilityOptions {
  /** Seconds Appium keeps an idle session; long warm-up views ping well within it. */
  newCommandTimeoutSec?: number;
}

/**
 * Real-phone UiAutomator2 capabilities, then the device's stored overrides on top
 * (overrides win, so a test device can become the fake driver with three keys).
 * `noReset: true` matters: without it UiAutomator2 clears the app's data on every session,
 * logging every account out.
 */
export function buildCapabilities(device: DeviceTarget, account?: AccountTarget, options: CapabilityOptions = {}): Record<string, unknown> {
  const ports = portsForSerial(device.serial);
  const defaults: Record<string, unknown> = {
    platformName: 'Android',
    'appium:automationName': 'UiAutomator2',
    'appium:udid': device.serial,
    'appium:appPackage': account?.package || DEFAULT_TIKTOK_PACKAGE,
    'appium:appActivity': TIKTOK_ACTIVITY,
    'appium:noReset': true,
    'appium:systemPort': ports.systemPort,
    'appium:mjpegServerPort': ports.mjpegServerPort,
    'appium:newCommandTimeout': options.newCommandTimeoutSec ?? 300,
    'appium:autoGrantPermissions': true,
    'appium:disableWindowAnimation': true,
    'appium:uiautomator2ServerLaunchTimeout': 60_000,
    'appium:adbExecTimeout': 60_000,
  };
  return { ...defaults, ...prefixCapabilities(device.capabilities) };
}

/** The app package a session drives: an explicit capability override beats the account's. */
export function appPackageOf(caps: Record<string, unknown>): string {
  const pkg = caps['appium:appPackage'];
  return typeof pkg === 'string' && pkg !== '' ? pkg : DEFAULT_TIKTOK_PACKAGE;
}
