import { createHmac } from 'node:crypto';
import { ValidationError } from '../../lib/errors';
import { HookError, vetHook, type HookGuard } from '../media/hook-post';

/**
 * notifyHook: where a task's JSON is POSTed at each status change (midjourney-proxy's
 * callback, which new-api only passes upstream when MjNotifyEnabled is on). taskhub
 * delivers it itself, durably, from its own projection, so the JSON carries taskhub's
 * ids and forwarded image URLs, and a receiver that is down gets it later.
 */

/** What a task keeps about its hook, beside the upstream request (never returned by any route). */
export interface MjNotifyTarget {
  url: string;
  /** SHA-256 hex digest of the `sk-` key the task was submitted with: the signing key. */
  keyDigest: string;
}

export const SIGNATURE_HEADER = 'x-taskhub-signature';
export const DELIVERY_HEADER = 'x-taskhub-delivery';

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256>` over `<t>.<body>`, keyed with the hex SHA-256 of
 * the submitting key: the hook's owner can verify it from their own key, and no one else
 * (other users included) can forge it. The timestamp lets receivers refuse replays.
 */
export function signNotification(body: string, keyDigest: string, unixSeconds: number): string {
  const mac = createHmac('sha256', keyDigest).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** A submit's notifyHook, checked before anything is created: a clear code-4 refusal if it may not be used. */
export async function checkNotifyHook(raw: string, guard: HookGuard): Promise<string> {
  const url = raw.trim();
  if (url.length > 2048) throw invalidHook('is longer than 2048 characters');
  try {
    await vetHook(url, guard);
  } catch (err) {
    if (err instanceof HookError) throw invalidHook(err.message);
    throw err;
  }
  return url;
}

function invalidHook(reason: string): ValidationError {
  const message = `notifyHook refused: ${reason}`;
  return new ValidationError(message, { details: [{ field: 'notifyHook', message }] });
}
