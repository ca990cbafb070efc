/**
 * The seam between device-task orchestration (workflows, activities, the TikMatrix API)
 * and the Appium layer that drives phones. Orchestration only sees these types; the
 * scripts, selectors and the WebDriver session live behind `devices/index.ts`.
 */

/** Names accepted by `POST /api/v1/task` as `script_name`. */
export const SCRIPT_NAMES = ['post', 'follow', 'unfollow', 'account_warmup', 'comment', 'login', 'profile', 'match_account'] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

export interface DeviceTarget {
  serial: string;
  /** Per-phone Appium capability overrides stored with the device (`appium:systemPort`, …). */
  capabilities?: Record<string, unknown>;
}

export interface AccountTarget {
  username: string;
  /** App package of this account (clone apps); default com.zhiliaoapp.musically. */
  package?: string;
}

export interface RunScriptInput {
  appiumUrl: string | undefined;
  device: DeviceTarget;
  account?: AccountTarget;
  scriptName: ScriptName;
  /** Already validated by `parseScriptConfig` and narrowed to one target by `fanOut`. */
  config: Record<string, unknown>;
  /** Aborted when the task is stopped: the script must stop at its next command and close the session. */
  signal: AbortSignal;
  /** Called at every step; the activity turns it into a Temporal heartbeat. */
  onStep?: (step: ScriptStep) => void;
}

export interface ScriptStep {
  index: number;
  description: string;
}

export interface ScriptResult {
  /** Human-readable outcome written to the task's `remark`. */
  remark: string;
}

/** Why a script failed; `message` is written to the task's `remark` as-is. */
export type DeviceFailureKind =
  | 'appium_unavailable' // APPIUM_URL unset or the server unreachable
  | 'device_offline' // session could not be created for this serial
  | 'element_not_found' // step N could not find its element
  | 'session_lost' // invalid session id / instrumentation crashed mid-script
  | 'invalid_config'
  | 'cancelled'; // signal aborted

export interface ParsedConfig {
  ok: true;
  config: Record<string, unknown>;
}
export interface ConfigProblem {
  ok: false;
  /** TikMatrix code: 40001 bad config, 40003 unknown script. */
  code: 40001 | 40003;
  message: string;
}

/** Thrown by `runScript`; the activity maps `kind` to retry policy and `message` to the remark. */
export class DeviceScriptError extends Error {
  constructor(
    readonly kind: DeviceFailureKind,
    message: string,
    options?: { cause?: unknown; step?: number },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'DeviceScriptError';
    this.step = options?.step;
  }
  readonly step?: number;
}

/** What `devices/index.ts` exports for orchestration. */
export interface DeviceLayer {
  /** Validates `script_config` for `script_name` (defaults filled in). */
  parseScriptConfig(scriptName: string, raw: unknown): ParsedConfig | ConfigProblem;
  /** follow/unfollow: one config per target user; comment: one per post URL; others: [config]. */
  fanOut(scriptName: ScriptName, config: Record<string, unknown>): Record<string, unknown>[];
  /** Opens one Appium session, runs the script, closes the session in every outcome. Throws DeviceScriptError. */
  runScript(input: RunScriptInput): Promise<ScriptResult>;
}

/** One account found on a phone by `match_account`. */
export interface MatchedAccount {
  username: string;
  /** The account active in the app when the scan ran. */
  current: boolean;
  /** App package the account lives in (clone apps). */
  package: string;
}

/** What `runScript` returns for `match_account`: the remark plus the structured list. */
export interface MatchAccountResult extends ScriptResult {
  accounts: MatchedAccount[];
}

export function isMatchAccountResult(result: ScriptResult): result is MatchAccountResult {
  return Array.isArray((result as Partial<MatchAccountResult>).accounts);
}
