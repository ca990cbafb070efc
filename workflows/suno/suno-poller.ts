import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { SunoActivities } from '../../activities/suno';
import { pollEvery } from '../poll-rounds';

const { pollSunoChannels } = proxyActivities<SunoActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/**
 * The one poller for all Suno channels: every interval, one batched fetch per
 * channel for all of its in-flight tasks, and a signal to each task whose state
 * changed. Upstream cost grows with channels, not tasks.
 */
export async function sunoPoller(intervalSeconds: number): Promise<void> {
  await pollEvery(intervalSeconds, pollSunoChannels);
  await continueAsNew<typeof sunoPoller>(intervalSeconds);
}
