import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { IMjTask } from '../db/entities';
import { TaskAction, TaskChannelId, TaskKind, TaskStatus, TaskUserId } from '../temporal/search-attributes';
import { mjWorkflowId, submissionUpdate, type MjSubmission, type MjTaskInput } from '../workflows/midjourney/definitions';

export interface MjStartConfig {
  taskQueue: string;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
}

/** Starts the task's workflow, or finds it already there: safe from a retried request and a replayed key. */
export async function startMjWorkflow(client: Client, config: MjStartConfig, task: Pick<IMjTask, 'mjId' | 'userId' | 'action' | 'channelId'>): Promise<void> {
  const input: MjTaskInput = {
    mjId: task.mjId,
    timeoutMinutes: config.timeoutMinutes,
    // Silence from the batched poller for a few rounds means it is down or the id went missing.
    fallbackPollSeconds: Math.max(config.pollIntervalSeconds * 4, 2),
  };
  try {
    await client.workflow.start('mjTask', {
      workflowId: mjWorkflowId(task.mjId),
      taskQueue: config.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: TaskKind, value: 'midjourney' },
        { key: TaskStatus, value: 'NOT_START' },
        { key: TaskAction, value: task.action },
        { key: TaskUserId, value: task.userId },
        { key: TaskChannelId, value: task.channelId },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * The upstream's answer to the task's submission, or undefined if it has not
 * come within `waitMs` (the workflow keeps trying; the relay answers "queued").
 * Also undefined when the workflow has already finished: the row tells the rest.
 */
export async function awaitSubmission(client: Client, mjId: string, waitMs: number): Promise<MjSubmission | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const answer = (async () => {
      const update = await client.workflow.getHandle(mjWorkflowId(mjId)).startUpdate(submissionUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED });
      return update.result();
    })().catch(() => undefined);
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
