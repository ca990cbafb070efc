import { sleep } from '@temporalio/workflow';

/** Rounds per run before a poller continues as new, to keep its history short. */
export const ROUNDS_PER_RUN = 500;

/**
 * The body of every batched poller: `round` at a fixed cadence. A slow round
 * eats into the pause instead of stretching the period; a failed round is
 * skipped, because each task falls back to polling by itself.
 */
export async function pollEvery(intervalSeconds: number, round: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ROUNDS_PER_RUN; i++) {
    const started = Date.now();
    await round().catch(() => undefined);
    await sleep(Math.max(100, intervalSeconds * 1000 - (Date.now() - started)));
  }
}
