import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { DeviceActivities } from '../../activities/device-tasks';

const { sweepDeviceTasks } = proxyActivities<DeviceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

const ROUNDS_PER_RUN = 500;

/**
 * Once per cluster: every interval, start the workflow of any pending device task that
 * has none (its API process stopped between the commit and the start), so no task is
 * left pending forever. A failed round is skipped; the next one covers it.
 */
export async function deviceTaskSweeper(intervalSeconds: number): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    await sweepDeviceTasks().catch(() => undefined);
    await sleep(intervalSeconds * 1000);
  }
  await continueAsNew<typeof deviceTaskSweeper>(intervalSeconds);
}
