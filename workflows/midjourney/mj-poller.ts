import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { MidjourneyActivities } from '../../activities/midjourney';
import { pollRoundOptions } from '../activity-options';
import { pollEvery } from '../poll-rounds';

const { pollMjChannels } = proxyActivities<MidjourneyActivities>(pollRoundOptions);

/**
 * The one poller for all Midjourney channels: every interval, one
 * `list-by-condition` per channel carrying all of its in-flight task ids, and a
 * signal to each task whose state changed.
 */
export async function mjPoller(intervalSeconds: number): Promise<void> {
  await pollEvery(intervalSeconds, pollMjChannels);
  await continueAsNew<typeof mjPoller>(intervalSeconds);
}
