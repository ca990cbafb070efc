import { DeviceScriptError } from '../contract';
import type { Locator } from './types';

/**
 * WebDriver failures arrive as errors from webdriverio (which may live in another realm
 * under Jest, so no `instanceof`): read them by name, message and code only.
 */
export interface ErrorFacts {
  name: string;
  message: string;
  code: string;
}

export function factsOf(err: unknown): ErrorFacts {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const cause = typeof e.cause === 'object' && e.cause !== null ? (e.cause as { code?: unknown; message?: unknown }) : undefined;
    return {
      name: typeof e.name === 'string' ? e.name : '',
      message: typeof e.message === 'string' ? e.message : String(err),
      code: typeof e.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : '',
    };
  }
  return { name: '', message: String(err), code: '' };
}

const has = (f: ErrorFacts, re: RegExp) => re.test(f.name) || re.test(f.message) || re.test(f.code);

export const isNoSuchElement = (f: ErrorFacts) => has(f, /no such element|NoSuchElement|element wasn't found|could not be located/i);
export const isStaleElement = (f: ErrorFacts) => has(f, /stale element reference|StaleElementReference/i);
export const isElementUnusable = (f: ErrorFacts) => has(f, /invalid element state|element not interactable|element click intercepted/i);
export const isSessionGone = (f: ErrorFacts) =>
  has(
    f,
    /invalid session id|session is either terminated or not started|after session has been deleted|socket hang up|ECONNRESET|instrumentation process is not running|UND_ERR_SOCKET|other side closed/i,
  );
export const isUnreachable = (f: ErrorFacts) =>
  has(
    f,
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|Unable to connect|fetch failed|Failed to fetch|connect ETIMEDOUT|WebDriver compatible server/i,
  );
export const isAbort = (f: ErrorFacts) => f.name === 'AbortError' || f.code === 'ABORT_ERR';

/** Keeps remarks readable: webdriverio appends "when running … with method …" and stack-ish tails. */
export function shortMessage(message: string): string {
  const first = message.replace(/^WebDriverError:\s*/, '').split('\n')[0] ?? '';
  const trimmed = first.replace(/ when running "[^"]*" with method "[^"]*"$/, '');
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

export interface StepRef {
  index: number;
  description: string;
  locator?: Locator;
}

export function cancelledAt(step: StepRef): DeviceScriptError {
  return new DeviceScriptError('cancelled', `stopped at step ${step.index} (${step.description})`, { step: step.index });
}

/**
 * Maps a failed command to the failure kinds the orchestration retries on:
 * element problems are the script's (or the UI's) fault; unreachable server is
 * `appium_unavailable`; a dead session and any other server-side error are treated as
 * infrastructure (`session_lost`), which a retry with a fresh session may fix.
 */
export function commandError(err: unknown, step: StepRef, appiumUrl: string): DeviceScriptError {
  if (err instanceof DeviceScriptError) return err;
  const f = factsOf(err);
  const what = step.locator?.label ?? step.description;
  if (isAbort(f)) return cancelledAt(step);
  if (isNoSuchElement(f))
    return new DeviceScriptError('element_not_found', `element not found at step ${step.index} (${what})`, { cause: err, step: step.index });
  if (isStaleElement(f) || isElementUnusable(f)) {
    return new DeviceScriptError('element_not_found', `element not usable at step ${step.index} (${what}): ${shortMessage(f.message)}`, {
      cause: err,
      step: step.index,
    });
  }
  if (isUnreachable(f))
    return new DeviceScriptError('appium_unavailable', `Appium at ${appiumUrl} became unreachable at step ${step.index} (${step.description})`, {
      cause: err,
      step: step.index,
    });
  if (isSessionGone(f)) {
    return new DeviceScriptError('session_lost', `Appium session lost at step ${step.index} (${step.description}): ${shortMessage(f.message)}`, {
      cause: err,
      step: step.index,
    });
  }
  return new DeviceScriptError('session_lost', `Appium error at step ${step.index} (${step.description}): ${shortMessage(f.message)}`, {
    cause: err,
    step: step.index,
  });
}
