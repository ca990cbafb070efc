import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ITask } from '../db/entities';
import { TaskAction, TaskChannelId, TaskKind, TaskStatus, TaskUserId } from '../temporal/search-attributes';
import { sunoWorkflowId, type SunoTaskInput } from '../workflows/suno/definitions';

export interface SunoStartConfig {
  taskQueue: string;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
}

/**
 * Starts the task's workflow, or finds it already there: safe to call from a
 * retried request, a duplicate submit and the stranded-task sweep alike.
 */
export async function startSunoWorkflow(client: Client, config: SunoStartConfig, taskId: string, task?: Pick<ITask, 'userId' | 'action'>): Promise<void> {
  const input: SunoTaskInput = {
    taskId,
    timeoutMinutes: config.timeoutMinutes,
    // Silence from the batched poller for a few rounds means it is down or the id went missing.
    fallbackPollSeconds: Math.max(config.pollIntervalSeconds * 4, 2),
  };
  try {
    await client.workflow.start('sunoTask', {
      workflowId: sunoWorkflowId(taskId),
      taskQueue: config.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: TaskKind, value: 'suno' },
        { key: TaskStatus, value: 'NOT_START' },
        ...(task
          ? [
              { key: TaskAction, value: task.action },
              { key: TaskUserId, value: task.userId },
            ]
          : []),
        { key: TaskChannelId, value: 0 },
      ],
    });
  } catch (err) {
    // It ran before and finished: nothing to start.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
