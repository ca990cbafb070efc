import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { IDeviceTask } from '../db/entities';
import type { Config } from '../lib/config';
import { TaskAction, TaskDevice, TaskKind, TaskStatus } from '../temporal/search-attributes';
import type { DeviceTaskInput } from '../workflows/device/definitions';

export interface DeviceStartConfig {
  taskQueue: string;
  devices: Config['devices'];
}

export const deviceStartConfig = (config: Pick<Config, 'temporal' | 'devices'>): DeviceStartConfig => ({
  taskQueue: config.temporal.taskQueue,
  devices: config.devices,
});

export function deviceTaskInput(task: IDeviceTask, config: DeviceStartConfig): DeviceTaskInput {
  const d = config.devices;
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

/**
 * Starts the task's workflow (`device-<id>`). `fresh` is for a task's first run and for
 * the sweeper: a run already there is the one wanted. `retry` must start a new run, so a
 * run still closing makes it wait briefly and try again.
 */
export async function startDeviceWorkflow(client: Client, config: DeviceStartConfig, task: IDeviceTask, mode: 'fresh' | 'retry' = 'fresh'): Promise<void> {
  const options = {
    workflowId: task.workflowId,
    taskQueue: config.taskQueue,
    args: [deviceTaskInput(task, config)] as [DeviceTaskInput],
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
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.workflow
          .getHandle(task.workflowId)
          .result()
          .catch(() => undefined),
        new Promise((r) => (timer = setTimeout(r, 15_000))),
      ]);
    } finally {
      clearTimeout(timer);
    }
    await client.workflow.start('deviceTask', options);
  }
}
