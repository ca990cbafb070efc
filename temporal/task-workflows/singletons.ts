import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { DEVICE_SWEEPER_ID, LEDGER_AUDIT_SCHEDULE_ID, LEDGER_AUDIT_WORKFLOW_ID, MJ_POLLER_ID, SUNO_POLLER_ID } from '../../domain';
import type { GenerationPlatform } from '../../workflows/generation/definitions';
import type { PollerInput } from '../../workflows/generation/poller';

/** The workflows that run once per cluster; every worker makes sure they do at start. */

async function ensurePoller(client: Client, platform: GenerationPlatform, workflowId: string, taskQueue: string, intervalSeconds: number): Promise<void> {
  const input: PollerInput = { platform, intervalSeconds };
  await client.workflow.start('generationPoller', { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
}

export const ensureSunoPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = SUNO_POLLER_ID) =>
  ensurePoller(client, 'suno', workflowId, taskQueue, intervalSeconds);

export const ensureMjPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = MJ_POLLER_ID) =>
  ensurePoller(client, 'midjourney', workflowId, taskQueue, intervalSeconds);

/** The stranded and orphaned device-task sweep. */
export async function ensureDeviceSweeper(client: Client, taskQueue: string, intervalSeconds = 30, workflowId = DEVICE_SWEEPER_ID): Promise<void> {
  await client.workflow.start('deviceTaskSweeper', { workflowId, taskQueue, args: [intervalSeconds], workflowIdConflictPolicy: 'USE_EXISTING' });
}

/** The hourly ledger audit, as a Temporal schedule. */
export async function ensureLedgerAuditSchedule(client: Client, taskQueue: string, cron: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: LEDGER_AUDIT_SCHEDULE_ID,
      spec: { cronExpressions: [cron] },
      action: { type: 'startWorkflow', workflowType: 'ledgerAudit', args: [100], taskQueue, workflowId: LEDGER_AUDIT_WORKFLOW_ID },
      memo: { purpose: 'Compares every user balance with the quota ledger' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
