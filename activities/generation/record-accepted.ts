import { log } from '@temporalio/activity';
import { AppError } from '../../lib/errors';

export interface RecordAcceptedOptions {
  /** How long to keep trying before the attempt fails (and its retry submits again). */
  withinMs?: number;
  /** First pause between tries; doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Once an upstream has taken a job, its id must reach the row before the attempt ends. A
 * failed attempt is retried, and the retry, finding no upstream id on the row, would submit
 * the same job again: two jobs billed upstream for one charge. So a write that fails here
 * (the database restarting, a lost connection) is tried again inside the attempt, while the
 * activity keeps heartbeating, rather than handed to Temporal's retry.
 */
export async function recordAccepted<T>(what: string, write: () => Promise<T>, opts: RecordAcceptedOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.withinMs ?? 120_000);
  let delay = opts.firstDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      // A domain refusal (the row is gone, say) will not change by waiting.
      if (err instanceof AppError || Date.now() + delay > deadline) throw err;
      log.warn('recording an accepted upstream job failed; trying again', { what, attempt, error: String(err) });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, opts.maxDelayMs ?? 5_000);
    }
  }
}
