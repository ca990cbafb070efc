import type { Client } from '@temporalio/client';
import { MJ_POLLER_ID } from '../workflows/midjourney/definitions';
import { SUNO_POLLER_ID } from '../workflows/suno/definitions';

/** Each batched poller runs once per cluster; every worker makes sure it does. */
async function ensurePoller(
  client: Client,
  workflowType: 'sunoPoller' | 'mjPoller',
  workflowId: string,
  taskQueue: string,
  intervalSeconds: number,
): Promise<void> {
  await client.workflow.start(workflowType, { workflowId, taskQueue, args: [intervalSeconds], workflowIdConflictPolicy: 'USE_EXISTING' });
}

export const ensureSunoPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = SUNO_POLLER_ID) =>
  ensurePoller(client, 'sunoPoller', workflowId, taskQueue, intervalSeconds);

export const ensureMjPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = MJ_POLLER_ID) =>
  ensurePoller(client, 'mjPoller', workflowId, taskQueue, intervalSeconds);
