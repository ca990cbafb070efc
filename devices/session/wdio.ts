import { remote } from 'webdriverio';
import { DeviceScriptError } from '../contract';
import { abortable } from './abort';
import { factsOf, isUnreachable, shortMessage } from './errors';
import { live } from './live';
import type { DriverFeatures, OpenedSession, SessionOptions } from './types';

export type { OpenedSession, SessionOptions } from './types';
import type { Driver } from './wdio-elements';
import { WdioSession } from './wdio-session';

export { liveSessions } from './live';

export function featuresFor(automationName: string): DriverFeatures {
  const name = automationName.toLowerCase();
  if (name === 'uiautomator2' || name === 'espresso') return { automationName, mobileCommands: true, pushFile: true, back: true, elementText: true };
  if (name === 'fake') return { automationName, mobileCommands: false, pushFile: false, back: false, elementText: false };
  // unknown drivers: plain W3C only
  return { automationName, mobileCommands: false, pushFile: false, back: true, elementText: true };
}

function unavailable(message: string, cause?: unknown): DeviceScriptError {
  return new DeviceScriptError('appium_unavailable', message, { cause });
}

/** Opens a WebDriver session on Appium for one phone; maps every failure to a DeviceScriptError. */
export async function openSession(options: SessionOptions): Promise<OpenedSession> {
  const { appiumUrl, signal, serial } = options;
  if (!appiumUrl) throw unavailable('APPIUM_URL is not set: device tasks need an Appium server with the UiAutomator2 driver');
  let url: URL;
  try {
    url = new URL(appiumUrl);
  } catch (err) {
    throw unavailable(`APPIUM_URL "${appiumUrl}" is not a valid URL`, err);
  }
  if (signal.aborted) throw new DeviceScriptError('cancelled', 'stopped before the Appium session started', { step: 0 });

  const https = url.protocol === 'https:';
  const pending = remote({
    protocol: https ? 'https' : 'http',
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : https ? 443 : 80,
    path: url.pathname || '/',
    logLevel: options.logLevel,
    connectionRetryCount: 0,
    connectionRetryTimeout: options.requestTimeoutMs,
    waitforTimeout: options.waitTimeoutMs,
    // Appium speaks classic WebDriver; skip webdriverio's BiDi negotiation
    capabilities: { ...options.capabilities, 'wdio:enforceWebDriverClassic': true } as WebdriverIO.Capabilities,
  });
  let driver: Driver;
  try {
    driver = await abortable(pending, signal);
  } catch (err) {
    if (signal.aborted) {
      // the session may still come up after the stop: delete it when it does
      pending.then((d) => d.deleteSession()).catch(() => undefined);
      throw new DeviceScriptError('cancelled', 'stopped while the Appium session was starting', { step: 0, cause: err });
    }
    const facts = factsOf(err);
    if (isUnreachable(facts)) throw unavailable(`Appium at ${url.origin}${url.pathname} is unreachable (${facts.code || shortMessage(facts.message)})`, err);
    if (/could not find (a|installed) driver/i.test(facts.message)) {
      throw unavailable(`Appium at ${url.origin} has no driver for these capabilities: ${shortMessage(facts.message)}`, err);
    }
    throw new DeviceScriptError('device_offline', `could not start an Appium session on ${serial}: ${shortMessage(facts.message)}`, { cause: err });
  }
  live.set(driver.sessionId, { serial, appiumUrl });
  const returned = driver.capabilities as Record<string, unknown>;
  const automationName = String(returned.automationName ?? returned['appium:automationName'] ?? options.capabilities['appium:automationName'] ?? '');
  return new WdioSession(driver, options, url.origin, featuresFor(automationName));
}
