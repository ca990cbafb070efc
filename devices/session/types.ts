import type { ScriptStep } from '../contract';

/**
 * The port the scripts are written against. Scripts never see webdriverio: they call these
 * commands, each of which is one numbered step (reported to `onStep`, checked against the
 * stop signal, and named in error remarks).
 */

/**
 * Only two strategies, because only these mean the same thing on UiAutomator2 and on the
 * fake driver used in tests: `id` (resource-id / fixture `id`) and `xpath` on `@text`.
 * `-android uiautomator` does not exist on the fake, and `accessibility id` means
 * content-desc on UiAutomator2 but `@id` on the fake.
 */
export interface Locator {
  readonly using: 'id' | 'xpath';
  readonly value: string;
  /** Human name used in step descriptions and error remarks ("follow button"). */
  readonly label: string;
}

/**
 * What the connected driver can do beyond W3C. Decided from the session's
 * `automationName`: UiAutomator2/Espresso expose `mobile:` methods, file push and back;
 * other drivers (the fake driver in tests) do not, and the commands that need them
 * degrade to a recorded, skipped step instead of failing. Scripts can read this to
 * choose a different path.
 */
export interface DriverFeatures {
  readonly automationName: string;
  /** `mobile: deepLink`, `mobile: startActivity`, `mobile: broadcast`. */
  readonly mobileCommands: boolean;
  readonly pushFile: boolean;
  readonly back: boolean;
  /**
   * Whether Get Element Text returns the visible text. The fake driver returns only typed
   * input there, so the session reads the `text` attribute from the page source instead.
   */
  readonly elementText: boolean;
}

export type SwipeDirection = 'up' | 'down' | 'left' | 'right';

export interface DeviceSession {
  readonly serial: string;
  /** App package the session drives (per account for clone apps). */
  readonly appPackage: string;
  readonly features: DriverFeatures;

  /** Deep link into the app. Returns false when the driver cannot deep link (step skipped). */
  openUrl(url: string, what: string): Promise<boolean>;
  /** Android share intent (ACTION_SEND/SEND_MULTIPLE) of files already on the phone into the app. */
  shareFiles(devicePaths: string[], mimeType: string): Promise<boolean>;
  tap(locator: Locator): Promise<void>;
  /** Replaces the field's text (SeekBars take a number, as UiAutomator2's set-text does). */
  type(locator: Locator, text: string): Promise<void>;
  /** Waits until the element exists; throws `element_not_found` after the timeout. */
  waitFor(locator: Locator, timeoutMs?: number): Promise<void>;
  /** One look (or a short wait when `timeoutMs` is given); never throws for a missing element. */
  exists(locator: Locator, timeoutMs?: number): Promise<boolean>;
  /** Index of the first locator that appears within the timeout (polled together); -1 when none does. */
  firstPresent(locators: readonly Locator[], timeoutMs?: number): Promise<number>;
  text(locator: Locator): Promise<string>;
  /** Text of every match, in document order; [] when none. */
  texts(locator: Locator): Promise<string[]>;
  swipe(direction: SwipeDirection): Promise<void>;
  /** Copies a local file to the phone. Returns false when the driver cannot receive files (step skipped). */
  pushFile(localPath: string, devicePath: string): Promise<boolean>;
  back(): Promise<void>;
  /**
   * Waits without losing the session: wakes at once on stop, and pings the server often
   * enough that `newCommandTimeout` never fires during long warm-up views.
   */
  pause(ms: number, what: string): Promise<void>;
  /** Steps taken so far. */
  readonly stepCount: number;
  close(): Promise<void>;
}

/**
 * Read-only look at a live session after its script ended and before it is deleted: for
 * failure diagnostics (page source) and for tests, which read the fake driver's runtime
 * state (`clicks`, typed values, alerts) that dies with the session.
 */
export interface SessionView {
  readonly sessionId: string;
  readonly stepCount: number;
  /** Attribute of the first match, or null when nothing matches. */
  attribute(locator: Locator, name: string): Promise<string | null>;
  /** Get Element Text of the first match, or null when nothing matches. */
  elementText(locator: Locator): Promise<string | null>;
  /** Open alert's text, or null when none is open. */
  alertText(): Promise<string | null>;
  pageSource(): Promise<string>;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

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

/** A session as opened by `openSession`, with its read-only view for diagnostics. */
export interface OpenedSession extends DeviceSession {
  readonly view: SessionView;
}
