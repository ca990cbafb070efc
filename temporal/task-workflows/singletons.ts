import { ScheduleAlreadyRunning, WorkflowNotFoundError, type Client, type WorkflowStartOptions } from '@temporalio/client';
import { DEVICE_SWEEPER_ID, LEDGER_AUDIT_SCHEDULE_ID, LEDGER_AUDIT_WORKFLOW_ID, MJ_POLLER_ID, SUNO_POLLER_ID } from '../../domain';
import type { GenerationPlatform } from '../../workflows/generation/definitions';
import type { PollerInput } from '../../workflows/generation/poller';

/** The workflows that run once per cluster; every worker makes sure they do at start. */

/** Attempts to settle a singleton on its queue while other workers may be doing the same. */
const MOVE_ATTEMPTS = 5;

/**
 * Starts a singleton unless it runs, and moves a run found on another task queue (started by
 * an older version, or before TEMPORAL_POLLER_TASK_QUEUE changed) to `taskQueue`: a run keeps
 * its queue across continue-as-new, so only a fresh start moves it. The singletons keep no
 * state worth carrying over, so the old run is terminated and a new one started.
 */
async function ensureSingleton(client: Client, workflowType: string, options: WorkflowStartOptions & { taskQueue: string }): Promise<void> {
  for (let attempt = 0; attempt < MOVE_ATTEMPTS; attempt++) {
    const handle = await client.workflow.start(workflowType, { ...options, workflowIdConflictPolicy: 'USE_EXISTING' });
    const running = await handle.describe();
    if (running.taskQueue === options.taskQueue || running.status.name !== 'RUNNING') return;
    await client.workflow
      .getHandle(options.workflowId, running.runId)
      .terminate(`moved to task queue ${options.taskQueue}`)
      .catch((err) => {
        // It continued as new or was moved by another worker meanwhile: look again.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
  throw new Error(`${options.workflowId} did not settle on task queue ${options.taskQueue} after ${MOVE_ATTEMPTS} attempts`);
}

async function ensurePoller(client: Client, platform: GenerationPlatform, workflowId: string, taskQueue: string, intervalSeconds: number): Promise<void> {
  const input: PollerInput = { platform, intervalSeconds };
  await ensureSingleton(client, 'generationPoller', { workflowId, taskQueue, args: [input] });
}

export const ensureSunoPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = SUNO_POLLER_ID) =>
  ensurePoller(client, 'suno', workflowId, taskQueue, intervalSeconds);

export const ensureMjPoller = (client: Client, taskQueue: string, intervalSeconds: number, workflowId = MJ_POLLER_ID) =>
  ensurePoller(client, 'midjourney', workflowId, taskQueue, intervalSeconds);

/** The stranded and orphaned device-task sweep. */
export async function ensureDeviceSweeper(client: Client, taskQueue: string, intervalSeconds = 30, workflowId = DEVICE_SWEEPER_ID): Promise<void> {
  await ensureSingleton(client, 'deviceTaskSweeper', { workflowId, taskQueue, args: [intervalSeconds] });
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
