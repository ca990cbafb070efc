import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { SunoActivities } from '../../activities/suno';
import { pollRoundOptions } from '../activity-options';
import { pollEvery } from '../poll-rounds';

const { pollSunoChannels } = proxyActivities<SunoActivities>(pollRoundOptions);

/**
 * The one poller for all Suno channels: every interval, one batched fetch per
 * channel for all of its in-flight tasks, and a signal to each task whose state
 * changed. Upstream cost grows with channels, not tasks.
 */
export async function sunoPoller(intervalSeconds: number): Promise<void> {
  await pollEvery(intervalSeconds, pollSunoChannels);
  await continueAsNew<typeof sunoPoller>(intervalSeconds);
}
