import path from 'node:path';
import { appPackageOf, buildCapabilities } from './capabilities';
import { DeviceScriptError, type RunScriptInput, type ScriptResult } from './contract';
import { describeConfigIssues, isScriptName } from './config/parse';
import type { ScriptContext } from './scripts/define';
import { SCRIPTS } from './scripts/registry';
import { tiktokSelectors } from './selectors/tiktok';
import type { SessionView } from './session/types';
import { openSession, type SessionOptions } from './session/wdio';

export interface RunOptions {
  /** How long a step looks for its element (default 10 s, APPIUM_WAIT_TIMEOUT_MS in production; tests use ~400 ms). */
  waitTimeoutMs?: number;
  pollMs?: number;
  /** Longest silence towards Appium during long waits (default 15 s, well below newCommandTimeout). */
  keepAliveMs?: number;
  requestTimeoutMs?: number;
  logLevel?: SessionOptions['logLevel'];
  random?: () => number;
  now?: () => number;
  /**
   * Called once the script has ended (either way), before the session is deleted: the
   * place to capture a page source for diagnostics, and where tests read the fake
   * driver's per-session state. An error thrown here fails the run only if the script
   * itself succeeded.
   */
  inspect?: (view: SessionView) => Promise<void>;
  /** Where relative material paths are found (default ./data/upload). */
  uploadDir?: string;
}

/**
 * Opens one Appium session for the device, runs the script, and deletes the session on
 * every path (success, failure, stop). Failures are DeviceScriptErrors; anything else
 * escaping a script is a bug and propagates unchanged.
 */
export async function runScript(input: RunScriptInput, options: RunOptions = {}): Promise<ScriptResult> {
  if (!isScriptName(input.scriptName)) throw new DeviceScriptError('invalid_config', `unknown script "${String(input.scriptName)}"`);
  const script = SCRIPTS[input.scriptName];
  // configs are stored as parsed; parsing again restores defaults added since and types the value
  const parsed = script.schema.safeParse(input.config);
  if (!parsed.success)
    throw new DeviceScriptError('invalid_config', `invalid script_config for ${input.scriptName}: ${describeConfigIssues(parsed.error.issues)}`);

  const capabilities = buildCapabilities(input.device, input.account);
  const appPackage = appPackageOf(capabilities);
  const session = await openSession({
    appiumUrl: input.appiumUrl,
    capabilities,
    serial: input.device.serial,
    appPackage,
    signal: input.signal,
    onStep: input.onStep,
    waitTimeoutMs: options.waitTimeoutMs ?? 10_000,
    pollMs: options.pollMs ?? 250,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    logLevel: options.logLevel ?? 'silent',
  });
  const ctx: ScriptContext = {
    session,
    ui: tiktokSelectors(appPackage),
    device: input.device,
    account: input.account,
    signal: input.signal,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    uploadDir: path.resolve(options.uploadDir ?? path.join('data', 'upload')),
  };
  let result: ScriptResult | undefined;
  let failure: unknown;
  try {
    result = await script.run(ctx, parsed.data);
  } catch (err) {
    failure = err;
  }
  try {
    // a stop closes the session at once: no inspection then
    if (options.inspect && !input.signal.aborted) await options.inspect(session.view).catch((err: unknown) => void (failure ??= err));
  } finally {
    await session.close();
  }
  if (failure === undefined) return result!;
  if (input.signal.aborted && !(failure instanceof DeviceScriptError && failure.kind === 'cancelled')) {
    throw new DeviceScriptError('cancelled', `stopped at step ${session.stepCount}`, { cause: failure, step: session.stepCount });
  }
  throw failure;
}
