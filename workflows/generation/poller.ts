import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { GenerationActivities } from '../../activities/generation';
import { pollRoundOptions } from '../activity-options';
import type { GenerationPlatform } from './definitions';

const { pollChannels } = proxyActivities<GenerationActivities>(pollRoundOptions);

/** Rounds per run before the poller continues as new, to keep its history short. */
export const ROUNDS_PER_RUN = 500;

export interface PollerInput {
  platform: GenerationPlatform;
  intervalSeconds: number;
}

/**
 * The one batched poller of a generation platform (`suno-poller`, `mj-poller`): every
 * interval, one upstream request per channel carrying the ids of its in-flight tasks,
 * and a signal to each task whose state changed, so the upstream's cost grows with
 * channels, not tasks. Rounds keep a fixed cadence: a slow round eats into the pause
 * instead of stretching the period. A failed round is skipped, because each task falls
 * back to polling by itself.
 */
export async function generationPoller(input: PollerInput): Promise<void> {
  for (let i = 0; i < ROUNDS_PER_RUN; i++) {
    const started = Date.now();
    await pollChannels(input.platform).catch(() => undefined);
    await sleep(Math.max(100, input.intervalSeconds * 1000 - (Date.now() - started)));
  }
  await continueAsNew<typeof generationPoller>(input);
}
