import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { IDeviceTask } from '../../db/entities';
import { phoneLockWorkflowId } from '../../domain';
import { releaseLock, requestLock, stopSignal, type DeviceTaskInput, type LockRequest, type PhoneLockState } from '../../workflows/device/definitions';
import { TaskAction, TaskDevice, TaskKind, TaskStatus } from '../../workflows/search-attributes';
import type { WorkflowSettings } from './settings';
import { signalIfRunning, within } from './start';

export type DeviceWorkflows = ReturnType<typeof deviceWorkflows>;

/** How long a retry waits for the run before it to finish giving its phone back. */
const PREVIOUS_RUN_GRACE_MS = 15_000;

export function deviceTaskInput(task: IDeviceTask, settings: Pick<WorkflowSettings, 'devices'>): DeviceTaskInput {
  const d = settings.devices;
  return {
    taskId: task.id,
    serial: task.serial,
    scriptName: task.scriptName,
    runAt: task.runAt ?? null,
    // Rows of one request share their creation time; a retry resets updated_at to its own time.
    dueAt: task.runAt ?? task.updatedAt,
    attempt: task.retryCount,
    spacingMs: { min: task.minIntervalSeconds * 1000, max: task.maxIntervalSeconds * 1000 },
    autoRetry: { enabled: d.autoRetry, maxRetries: d.maxRetries, minDelayMs: d.retryDelaySeconds.min * 1000, maxDelayMs: d.retryDelaySeconds.max * 1000 },
    scriptTimeoutMinutes: d.scriptTimeoutMinutes,
    lockCheckMs: d.lockCheckSeconds * 1000,
  };
}

export function deviceWorkflows(client: Client, settings: WorkflowSettings) {
  return {
    /**
     * Starts the task's workflow (`device-<id>`). `fresh` is for a task's first run and for
     * the sweeper: a run already there is the one wanted. `retry` must start a new run, so a
     * run still closing makes it wait briefly and try again.
     */
    async start(task: IDeviceTask, mode: 'fresh' | 'retry' = 'fresh'): Promise<void> {
      const options = {
        workflowId: task.workflowId,
        taskQueue: settings.temporal.taskQueue,
        args: [deviceTaskInput(task, settings)] as [DeviceTaskInput],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
        workflowIdConflictPolicy: mode === 'fresh' ? ('USE_EXISTING' as const) : ('FAIL' as const),
        typedSearchAttributes: [
          { key: TaskKind, value: 'device' },
          { key: TaskAction, value: task.scriptName },
          { key: TaskDevice, value: task.serial },
          { key: TaskStatus, value: 'pending' },
        ],
      };
      try {
        await client.workflow.start('deviceTask', options);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || mode === 'fresh') throw err;
        // The failed run is still giving its phone back; it ends within moments.
        await within(
          PREVIOUS_RUN_GRACE_MS,
          client.workflow
            .getHandle(task.workflowId)
            .result()
            .catch(() => undefined),
        );
        await client.workflow.start('deviceTask', options);
      }
    },

    /** Asks the task's workflow to stop wherever it is; false when no workflow is running for it. */
    stop: (task: Pick<IDeviceTask, 'workflowId'>, reason: string) =>
      signalIfRunning(() => client.workflow.getHandle(task.workflowId).signal(stopSignal, { reason })),

    /** Queues a run for its phone, starting the phone's lock workflow if it is not running. */
    async enqueueOnPhone(serial: string, request: LockRequest, checkMs: number): Promise<void> {
      const initial: PhoneLockState = {
        serial,
        queue: [],
        holder: null,
        lastReleasedAt: null,
        recentlyReleased: [],
        checkMs,
        historyBudget: settings.temporal.historyBudget,
      };
      await client.workflow.signalWithStart('phoneLock', {
        workflowId: phoneLockWorkflowId(serial),
        taskQueue: settings.temporal.taskQueue,
        args: [initial],
        signal: requestLock,
        signalArgs: [request],
        typedSearchAttributes: [
          { key: TaskKind, value: 'phone-lock' },
          { key: TaskDevice, value: serial },
        ],
      });
    },

    /** Frees the phone if the run held it, or takes the run out of its queue. No lock workflow: nothing is held. */
    async releasePhone(serial: string, requestId: string): Promise<void> {
      await signalIfRunning(() => client.workflow.getHandle(phoneLockWorkflowId(serial)).signal(releaseLock, { requestId }));
    },

    /** The status name (RUNNING, TERMINATED…) of a run, or of the workflow's latest run; null when Temporal has none. */
    async status(workflowId: string, runId?: string): Promise<string | null> {
      try {
        return (await client.workflow.getHandle(workflowId, runId).describe()).status.name;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },

    /** Device-task runs that closed with one of `statuses` (visibility spelling: 'Terminated'…) since `since`. */
    closedRuns(statuses: string[], since: number, pageSize: number): AsyncIterable<WorkflowExecutionInfo> {
      const quoted = statuses.map((s) => `'${s}'`).join(', ');
      const query = `${TaskKind.name} = 'device' AND ExecutionStatus IN (${quoted}) AND CloseTime >= '${new Date(since).toISOString()}'`;
      return client.workflow.list({ query, pageSize });
    },
  };
}
