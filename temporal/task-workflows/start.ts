import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { TaskAction, TaskChannelId, TaskKind, TaskStatus, TaskUserId } from '../../workflows/search-attributes';
import type { GenerationPlatform } from '../../workflows/generation/definitions';

/**
 * A start that may be repeated — a retried request, a replayed idempotency key, the
 * stranded-task sweep — finds the workflow already there (or already finished): fine.
 */
export async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** A signal to a workflow that has already finished needs no delivery: false then. */
export async function signalIfRunning(signal: () => Promise<unknown>): Promise<boolean> {
  try {
    await signal();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Resolves with `work`'s value, or with undefined after `ms`; the timer never outlives the race. */
export async function within<T>(ms: number, work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a generation task's workflow once: its business id is the task's, so a second
 * start finds the first (running or finished) instead of submitting the job again.
 */
export function startGenerationWorkflow(
  client: Client,
  taskQueue: string,
  task: {
    platform: GenerationPlatform;
    workflowType: 'sunoTask' | 'mjTask';
    workflowId: string;
    input: unknown;
    action: string;
    userId: number;
    channelId: number;
  },
): Promise<void> {
  const typedSearchAttributes: SearchAttributePair[] = [
    { key: TaskKind, value: task.platform },
    { key: TaskStatus, value: 'NOT_START' },
    { key: TaskAction, value: task.action },
    { key: TaskUserId, value: task.userId },
    { key: TaskChannelId, value: task.channelId },
  ];
  return startOnce(() =>
    client.workflow.start(task.workflowType, {
      workflowId: task.workflowId,
      taskQueue,
      args: [task.input] as never,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes,
    }),
  );
}
