import { log } from '@temporalio/activity';

/** How long to keep trying before the attempt fails (and its retry submits again). */
const WITHIN_MS = 120_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/**
 * Once an upstream has taken a job, its id must reach the row before the attempt ends. A
 * failed attempt is retried, and the retry, finding no upstream id on the row, would submit
 * the same job again: two jobs billed upstream for one charge. So a write that fails here
 * (the database restarting, a lost connection) is tried again inside the attempt, while the
 * activity keeps heartbeating, rather than handed to Temporal's retry.
 */
export async function recordAccepted<T>(what: string, write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WITHIN_MS;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() + delay > deadline) throw err;
      log.warn('recording an accepted upstream job failed; trying again', { what, attempt, error: String(err) });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
