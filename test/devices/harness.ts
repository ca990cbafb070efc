import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  DeviceScriptError,
  parseScriptConfig,
  runScript,
  type AccountTarget,
  type DeviceTarget,
  type RunOptions,
  type ScriptName,
  type ScriptResult,
  type ScriptStep,
} from '../../devices';
import { tiktokSelectors } from '../../devices/selectors/tiktok';
import type { Locator, SessionView } from '../../devices/session/types';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const ui = tiktokSelectors();

/** A phone whose stored capability overrides turn it into the fake driver showing `fixture`. */
export function fakeDevice(fixture: string, extraCapabilities: Record<string, unknown> = {}): DeviceTarget {
  return {
    serial: `FAKE-${randomUUID().slice(0, 8)}`,
    capabilities: {
      platformName: 'Fake',
      'appium:automationName': 'Fake',
      'appium:app': path.join(FIXTURES, fixture),
      ...extraCapabilities,
    },
  };
}

/** Short waits: the fake's DOM is static, so a missing element is missing for good. */
export const FAST: RunOptions = { waitTimeoutMs: 400, pollMs: 50, logLevel: 'silent' };

export interface RunOnFake {
  appiumUrl: string;
  script: ScriptName;
  config: unknown;
  fixture?: string;
  device?: DeviceTarget;
  account?: AccountTarget;
  signal?: AbortSignal;
  onStep?: (step: ScriptStep) => void;
  options?: RunOptions;
  /** Reads the session's runtime state before it is deleted. */
  inspect?: (view: SessionView) => Promise<void>;
}

export interface RunOutcome {
  result?: ScriptResult;
  error?: DeviceScriptError;
  steps: ScriptStep[];
}

/** Parses the config like the API does, then runs the real script over the wire. */
export async function runOnFake(run: RunOnFake): Promise<RunOutcome> {
  const parsed = parseScriptConfig(run.script, run.config);
  if (!parsed.ok) throw new Error(`test config rejected: ${parsed.message}`);
  const steps: ScriptStep[] = [];
  try {
    const result = await runScript(
      {
        appiumUrl: run.appiumUrl,
        device: run.device ?? fakeDevice(run.fixture ?? 'follow.xml'),
        account: run.account,
        scriptName: run.script,
        config: parsed.config,
        signal: run.signal ?? new AbortController().signal,
        onStep: (step) => {
          steps.push(step);
          run.onStep?.(step);
        },
      },
      { ...FAST, ...run.options, inspect: run.inspect },
    );
    return { result, steps };
  } catch (err) {
    if (err instanceof DeviceScriptError) return { error: err, steps };
    throw err;
  }
}

export async function clicks(view: SessionView, locator: Locator): Promise<number> {
  const value = await view.attribute(locator, 'clicks');
  if (value === null) throw new Error(`no element for ${locator.label}`);
  return Number(value || 0);
}

/** Runs with an inspector that records click counts and typed values of the given elements. */
export function recorder(targets: { clicks?: Record<string, Locator>; typed?: Record<string, Locator> }) {
  const seen = { clicks: {} as Record<string, number>, typed: {} as Record<string, string | null>, alert: null as string | null };
  const inspect = async (view: SessionView) => {
    for (const [name, locator] of Object.entries(targets.clicks ?? {})) seen.clicks[name] = await clicks(view, locator);
    for (const [name, locator] of Object.entries(targets.typed ?? {})) seen.typed[name] = await view.elementText(locator);
    seen.alert = await view.alertText();
  };
  return { seen, inspect };
}
