import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { DeviceActivities } from '../../activities/device-tasks';

const { sweepDeviceTasks } = proxyActivities<DeviceActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

const ROUNDS_PER_RUN = 500;
/** On its first start the sweeper looks this far back for runs that closed without ending their task. */
const FIRST_LOOK_BACK_MS = 24 * 3600_000;

/**
 * Once per cluster, every interval: start the workflow of any pending device task that
 * has none (its API process stopped between the commit and the start), and end the row
 * of any task whose workflow was terminated or timed out, so no task is left pending or
 * running forever. A failed round is skipped; the next one covers it, from the same point.
 */
export async function deviceTaskSweeper(intervalSeconds: number, closedSince?: number): Promise<void> {
  let since = closedSince ?? Date.now() - FIRST_LOOK_BACK_MS;
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    const swept = await sweepDeviceTasks({ closedSince: since }).catch(() => undefined);
    if (swept?.closedUntil !== undefined) since = swept.closedUntil;
    await sleep(intervalSeconds * 1000);
  }
  await continueAsNew<typeof deviceTaskSweeper>(intervalSeconds, since);
}
