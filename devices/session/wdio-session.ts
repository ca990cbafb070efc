import fs from 'node:fs';
import path from 'node:path';
import { DeviceScriptError } from '../contract';
import { abortable, sleep } from './abort';
import { cancelledAt, commandError, factsOf, isSessionGone, isStaleElement, isUnreachable, type StepRef } from './errors';
import { live } from './live';
import type { DriverFeatures, Locator, OpenedSession, SessionOptions, SessionView, SwipeDirection } from './types';
import { elementIdOf, findElementId, findElementRefs, textsFromSource, type Driver } from './wdio-elements';

/** What scripts hold instead of the webdriverio driver, so that every call they make is a stoppable, numbered step. */
export class WdioSession implements OpenedSession {
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

  /** Polls until the element exists or the time is up; bounded by `timeoutMs`. */
  private async locate(locator: Locator, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = await findElementId(this.driver, locator);
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
          if ((await findElementId(this.driver, locator)) !== undefined) return i;
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
        return (await textsFromSource(this.driver, locator))[0] ?? '';
      },
      locator,
    );
  }

  texts(locator: Locator): Promise<string[]> {
    return this.command(
      `read every ${locator.label}`,
      async () => {
        if (!this.features.elementText) return textsFromSource(this.driver, locator);
        const texts: string[] = [];
        for (const ref of await findElementRefs(this.driver, locator)) {
          const id = elementIdOf(ref);
          if (id !== undefined) texts.push(await this.driver.getElementText(id));
        }
        return texts;
      },
      locator,
    );
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
    const first = async (locator: Locator) => elementIdOf((await findElementRefs(driver, locator))[0]);
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
