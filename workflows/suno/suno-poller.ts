import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { SunoActivities } from '../../activities/suno';

const { pollSunoChannels } = proxyActivities<SunoActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

const ROUNDS_PER_RUN = 500;

/**
 * The one poller for all Suno channels: every interval, one batched fetch per
 * channel for all of its in-flight tasks, and a signal to each task whose state
 * changed. Upstream cost grows with channels, not tasks. A failed round is
 * logged and skipped: tasks fall back to polling themselves, so none gets stuck.
 */
export async function sunoPoller(intervalSeconds: number): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    const started = Date.now();
    await pollSunoChannels().catch(() => undefined);
    // A fixed cadence: a slow round eats into the pause instead of stretching the period.
    await sleep(Math.max(100, intervalSeconds * 1000 - (Date.now() - started)));
  }
  // Keep the history short: a fresh run every few hundred rounds.
  await continueAsNew<typeof sunoPoller>(intervalSeconds);
}
