import type { Client } from '@temporalio/client';
import { SUNO_POLLER_ID } from '../workflows/suno/definitions';

/** The batched Suno poller runs once per cluster; every worker makes sure it does. */
export async function ensureSunoPoller(client: Client, taskQueue: string, intervalSeconds: number, workflowId = SUNO_POLLER_ID): Promise<void> {
  await client.workflow.start('sunoPoller', {
    workflowId,
    taskQueue,
    args: [intervalSeconds],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}
