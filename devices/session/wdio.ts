import fs from 'node:fs';
import path from 'node:path';
import { remote } from 'webdriverio';
import { DeviceScriptError, type ScriptStep } from '../contract';
import { abortable, sleep } from './abort';
import { cancelledAt, commandError, factsOf, isNoSuchElement, isSessionGone, isStaleElement, isUnreachable, shortMessage, type StepRef } from './errors';
import type { DeviceSession, DriverFeatures, Locator, SessionView, SwipeDirection } from './types';

type Driver = Awaited<ReturnType<typeof remote>>;
type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ELEMENT_KEY = 'element-6066-11e4-a52b-4f6f6c1c1ed3';

export interface SessionOptions {
  appiumUrl: string | undefined;
  capabilities: Record<string, unknown>;
  serial: string;
  appPackage: string;
  signal: AbortSignal;
  onStep?: (step: ScriptStep) => void;
  /** How long `tap`/`type`/`waitFor` look for a missing element. */
  waitTimeoutMs: number;
  /** Interval between element lookups while waiting. */
  pollMs: number;
  /** Longest gap without a WebDriver call during `pause` (below newCommandTimeout). */
  keepAliveMs: number;
  /** Per-request HTTP timeout towards Appium. */
  requestTimeoutMs: number;
  logLevel: LogLevel;
}

/** Sessions opened by this process and not yet deleted: how tests (and /metrics, if wanted) see leaks. */
const live = new Map<string, { serial: string; appiumUrl: string }>();

export function liveSessions(): { sessionId: string; serial: string; appiumUrl: string }[] {
  return [...live].map(([sessionId, info]) => ({ sessionId, ...info }));
}

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
export interface OpenedSession extends DeviceSession {
  readonly view: SessionView;
}

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

class WdioSession implements OpenedSession {
  private steps = 0;
  private closed = false;
  private windowSize?: { width: number; height: number };
  readonly serial: string;
  readonly appPackage: string;

  constructor(
    private readonly driver: Driver,
    private readonly options: SessionOptions,
    private readonly serverLabel: string,
    readonly features: DriverFeatures,
  ) {
    this.serial = options.serial;
    this.appPackage = options.appPackage;
  }

  get stepCount(): number {
    return this.steps;
  }

  private get signal(): AbortSignal {
    return this.options.signal;
  }

  /** Every public command: one numbered step, stop checked first, failures mapped. */
  private async command<T>(description: string, run: (step: StepRef) => Promise<T>, locator?: Locator): Promise<T> {
    const step: StepRef = { index: ++this.steps, description, locator };
    if (this.signal.aborted) throw cancelledAt(step);
    this.options.onStep?.({ index: step.index, description });
    try {
      return await abortable(run(step), this.signal);
    } catch (err) {
      if (this.signal.aborted) throw cancelledAt(step);
      throw commandError(err, step, this.serverLabel);
    }
  }

  private skipped(description: string, reason: string): Promise<false> {
    return this.command(`${description} (skipped: ${reason})`, async () => false as const);
  }

  private async findOnce(locator: Locator): Promise<string | undefined> {
    try {
      const ref = (await this.driver.findElement(locator.using, locator.value)) as unknown as Record<string, unknown> | undefined;
      const id = ref?.[ELEMENT_KEY] ?? ref?.ELEMENT;
      if (typeof id === 'string') return id;
      // webdriverio hands a 404 "no such element" back as the value rather than throwing
      if (ref && typeof ref.error === 'string' && ref.error !== 'no such element') {
        throw Object.assign(new Error(typeof ref.message === 'string' ? ref.message : ref.error), { name: ref.error });
      }
      return undefined;
    } catch (err) {
      if (isNoSuchElement(factsOf(err))) return undefined;
      throw err;
    }
  }

  /** Polls until the element exists or the time is up; bounded by `timeoutMs`. */
  private async locate(locator: Locator, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = await this.findOnce(locator);
      if (id !== undefined || Date.now() >= deadline || this.signal.aborted) return id;
      await sleep(Math.min(this.options.pollMs, deadline - Date.now()), this.signal);
    }
  }

  private async mustLocate(locator: Locator, step: StepRef, timeoutMs = this.options.waitTimeoutMs): Promise<string> {
    const id = await this.locate(locator, timeoutMs);
    if (id === undefined) {
      if (this.signal.aborted) throw cancelledAt(step);
      throw new DeviceScriptError('element_not_found', `element not found at step ${step.index} (${locator.label})`, { step: step.index });
    }
    return id;
  }

  /** Views re-render under us (stale element): look the element up once more and retry. */
  private async onElement(locator: Locator, step: StepRef, action: (elementId: string) => Promise<unknown>): Promise<void> {
    const id = await this.mustLocate(locator, step);
    try {
      await action(id);
    } catch (err) {
      if (!isStaleElement(factsOf(err))) throw err;
      await action(await this.mustLocate(locator, step));
    }
  }

  openUrl(url: string, what: string): Promise<boolean> {
    if (!this.features.mobileCommands) return this.skipped(`open ${what} ${url}`, `${this.features.automationName} driver has no deep links`);
    return this.command(`open ${what} ${url}`, async () => {
      await this.driver.execute('mobile: deepLink', { url, package: this.appPackage, waitForLaunch: true });
      return true;
    });
  }

  shareFiles(devicePaths: string[], mimeType: string): Promise<boolean> {
    const description = `share ${devicePaths.map((p) => path.posix.basename(p)).join(', ')} to ${this.appPackage}`;
    if (!this.features.mobileCommands) return this.skipped(description, `${this.features.automationName} driver cannot fire intents`);
    // `am start` extras carry one stream URI; several files go through the in-app picker instead
    if (devicePaths.length !== 1) return this.skipped(description, 'a share intent carries one file');
    return this.command(description, async () => {
      try {
        await this.driver.execute('mobile: startActivity', {
          action: 'android.intent.action.SEND',
          mimeType,
          package: this.appPackage,
          extras: [['u', 'android.intent.extra.STREAM', `file://${devicePaths[0]}`]],
          wait: true,
        });
        return true;
      } catch (err) {
        const facts = factsOf(err);
        if (isSessionGone(facts) || isUnreachable(facts)) throw err;
        return false;
      }
    });
  }

  tap(locator: Locator): Promise<void> {
    return this.command(`tap ${locator.label}`, (step) => this.onElement(locator, step, (id) => this.driver.elementClick(id)), locator);
  }

  type(locator: Locator, text: string): Promise<void> {
    return this.command(
      `type into ${locator.label}`,
      (step) =>
        this.onElement(locator, step, async (id) => {
          // some widgets (SeekBar) refuse Clear but take Send Keys; only a dead session matters here
          await this.driver.elementClear(id).catch((err: unknown) => {
            const facts = factsOf(err);
            if (isSessionGone(facts) || isUnreachable(facts)) throw err;
          });
          await this.driver.elementSendKeys(id, text);
        }),
      locator,
    );
  }

  waitFor(locator: Locator, timeoutMs?: number): Promise<void> {
    return this.command(`wait for ${locator.label}`, async (step) => void (await this.mustLocate(locator, step, timeoutMs)), locator);
  }

  exists(locator: Locator, timeoutMs = 0): Promise<boolean> {
    return this.command(`check ${locator.label}`, async () => (await this.locate(locator, timeoutMs)) !== undefined, locator);
  }

  firstPresent(locators: readonly Locator[], timeoutMs = this.options.waitTimeoutMs): Promise<number> {
    return this.command(`look for ${locators.map((l) => l.label).join(' / ')}`, async () => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const [i, locator] of locators.entries()) {
          if ((await this.findOnce(locator)) !== undefined) return i;
        }
        if (Date.now() >= deadline || this.signal.aborted) return -1;
        await sleep(Math.min(this.options.pollMs, deadline - Date.now()), this.signal);
      }
    });
  }

  text(locator: Locator): Promise<string> {
    return this.command(
      `read ${locator.label}`,
      async (step) => {
        const id = await this.mustLocate(locator, step);
        const text = await this.driver.getElementText(id);
        if (text !== '' || this.features.elementText) return text;
        return (await this.textsFromSource(locator))[0] ?? '';
      },
      locator,
    );
  }

  texts(locator: Locator): Promise<string[]> {
    return this.command(
      `read every ${locator.label}`,
      async () => {
        if (!this.features.elementText) return this.textsFromSource(locator);
        const refs = (await this.driver.findElements(locator.using, locator.value)) as unknown as Record<string, unknown>[];
        const texts: string[] = [];
        for (const ref of refs) {
          const id = ref[ELEMENT_KEY] ?? ref.ELEMENT;
          if (typeof id === 'string') texts.push(await this.driver.getElementText(id));
        }
        return texts;
      },
      locator,
    );
  }

  /**
   * The `text` attribute of every element with this resource id, read from the page
   * source. Only id locators: this path exists for drivers whose Get Element Text ignores
   * the attribute (the fake driver), where evaluating arbitrary XPath locally is not worth it.
   */
  private async textsFromSource(locator: Locator): Promise<string[]> {
    if (locator.using !== 'id') return [];
    const source = await this.driver.getPageSource();
    const texts: string[] = [];
    for (const [tag] of source.matchAll(/<[A-Za-z][^<>]*>/g)) {
      const id = /\s(?:resource-id|id)="([^"]*)"/.exec(tag)?.[1];
      if (id === undefined || decodeXml(id) !== locator.value) continue;
      texts.push(decodeXml(/\stext="([^"]*)"/.exec(tag)?.[1] ?? ''));
    }
    return texts;
  }

  swipe(direction: SwipeDirection): Promise<void> {
    return this.command(`swipe ${direction}`, async () => {
      this.windowSize ??= await this.driver.getWindowRect();
      const { width, height } = this.windowSize;
      const [cx, cy] = [Math.round(width / 2), Math.round(height / 2)];
      const dx = Math.round(width * 0.3);
      const dy = Math.round(height * 0.3);
      const vector = { up: [0, -dy], down: [0, dy], left: [-dx, 0], right: [dx, 0] }[direction];
      await this.driver.performActions([
        {
          type: 'pointer',
          id: 'finger',
          parameters: { pointerType: 'touch' },
          actions: [
            { type: 'pointerMove', duration: 0, x: cx - vector[0]!, y: cy - vector[1]! },
            { type: 'pointerDown', button: 0 },
            { type: 'pause', duration: 100 },
            { type: 'pointerMove', duration: 300, x: cx + vector[0]!, y: cy + vector[1]! },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ]);
    });
  }

  async pushFile(localPath: string, devicePath: string): Promise<boolean> {
    const description = `push ${path.basename(localPath)} to ${devicePath}`;
    // read first, so a missing file is reported the same way on every driver
    let data: string;
    try {
      data = fs.readFileSync(localPath).toString('base64');
    } catch (err) {
      throw new DeviceScriptError('invalid_config', `cannot read ${localPath}: ${(err as Error).message}`, { cause: err });
    }
    if (!this.features.pushFile) return this.skipped(description, `${this.features.automationName} driver cannot receive files`);
    return this.command(description, async () => {
      await this.driver.pushFile(devicePath, data);
      if (this.features.mobileCommands) {
        // without a media scan the app's gallery picker does not list the new file
        await this.driver
          .execute('mobile: broadcast', { action: 'android.intent.action.MEDIA_SCANNER_SCAN_FILE', uri: `file://${devicePath}` })
          .catch((err: unknown) => {
            if (isSessionGone(factsOf(err))) throw err;
          });
      }
      return true;
    });
  }

  async back(): Promise<void> {
    if (!this.features.back) {
      await this.skipped('press back', `${this.features.automationName} driver has no back`);
      return;
    }
    await this.command('press back', () => this.driver.back());
  }

  pause(ms: number, what: string): Promise<void> {
    return this.command(what, async (step) => {
      const end = Date.now() + Math.max(0, ms);
      let lastCall = Date.now();
      while (Date.now() < end && !this.signal.aborted) {
        await sleep(Math.min(end - Date.now(), Math.max(0, lastCall + this.options.keepAliveMs - Date.now())), this.signal);
        if (this.signal.aborted || Date.now() >= end) break;
        // cheap call that resets Appium's newCommandTimeout and notices a dead session early
        await this.driver.getWindowRect();
        lastCall = Date.now();
        this.options.onStep?.({ index: step.index, description: `${what} (${Math.ceil((end - Date.now()) / 1000)}s left)` });
      }
      if (this.signal.aborted) throw cancelledAt(step);
    });
  }

  get view(): SessionView {
    const driver = this.driver;
    const first = async (locator: Locator) => {
      const refs = (await driver.findElements(locator.using, locator.value)) as unknown as Record<string, unknown>[];
      const id = refs[0]?.[ELEMENT_KEY] ?? refs[0]?.ELEMENT;
      return typeof id === 'string' ? id : undefined;
    };
    return {
      sessionId: driver.sessionId,
      stepCount: this.steps,
      attribute: async (locator, name) => {
        const id = await first(locator);
        return id === undefined ? null : driver.getElementAttribute(id, name);
      },
      elementText: async (locator) => {
        const id = await first(locator);
        return id === undefined ? null : driver.getElementText(id);
      },
      alertText: () => driver.getAlertText().catch(() => null),
      pageSource: () => driver.getPageSource(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sessionId = this.driver.sessionId;
    try {
      // bounded: a stop must not hang on a server that stopped answering
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.driver.deleteSession(), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]).finally(() => clearTimeout(timer));
    } catch {
      // already gone (newCommandTimeout, server restart): nothing left to clean up
    } finally {
      live.delete(sessionId);
    }
  }
}

function decodeXml(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity.toLowerCase() in named) return named[entity.toLowerCase()]!;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
}
