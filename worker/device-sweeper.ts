import type { Client } from '@temporalio/client';
import { DEVICE_SWEEPER_ID } from '../workflows/device/definitions';

/** The stranded device-task sweep runs once per cluster; every worker makes sure it does. */
export async function ensureDeviceSweeper(client: Client, taskQueue: string, intervalSeconds = 30, workflowId = DEVICE_SWEEPER_ID): Promise<void> {
  await client.workflow.start('deviceTaskSweeper', { workflowId, taskQueue, args: [intervalSeconds], workflowIdConflictPolicy: 'USE_EXISTING' });
}
