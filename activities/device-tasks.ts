import { log } from '@temporalio/activity';
import type { Services } from '../services';
import type { DeviceTaskPatch } from '../services/device-tasks';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { LockRequest } from '../workflows/device/definitions';
import { endTasksOfVanishedRuns } from './device-orphans';

export interface DeviceActivityDeps {
  services: Services;
  workflows: TaskWorkflows;
}

/** A pending row this old without a started workflow was left behind by an API that stopped. */
const STRANDED_AFTER_MS = 60_000;
const SWEEP_BATCH = 100;

/** Bookkeeping around device tasks: projection writes, the phone locks, the sweep of stranded and orphaned tasks. */
export function createDeviceActivities(deps: DeviceActivityDeps) {
  const { deviceTasks } = deps.services;

  return {
    /** Writes a state change to the task's row if it is newer than what the row shows; false when it was not. */
    async recordDeviceTask({ taskId, seq, patch }: { taskId: number; seq: number; patch: DeviceTaskPatch }): Promise<boolean> {
      return deviceTasks.apply(taskId, seq, patch);
    },

    /** Queues the run for its phone, starting the phone's lock workflow if it is not running. */
    async enqueueOnPhone({ serial, request, checkMs }: { serial: string; request: LockRequest; checkMs: number }): Promise<void> {
      await deps.workflows.device.enqueueOnPhone(serial, request, checkMs);
    },

    async releasePhone({ serial, requestId }: { serial: string; requestId: string }): Promise<void> {
      await deps.workflows.device.releasePhone(serial, requestId);
    },

    /** Whether the run holding a phone is still alive; a lock frees the phone of a dead one. */
    async isRunOpen({ workflowId, runId }: { workflowId: string; runId: string }): Promise<boolean> {
      return (await deps.workflows.device.status(workflowId, runId)) === 'RUNNING';
    },

    /**
     * Starts the workflows of pending tasks that never got one and, given `closedSince`,
     * ends the rows whose workflow closed (terminated, timed out) since then without ending them.
     */
    async sweepDeviceTasks({ closedSince }: { closedSince?: number } = {}): Promise<{ restarted: number; ended: number; closedUntil?: number }> {
      let restarted = 0;
      for (const task of await deviceTasks.stranded(STRANDED_AFTER_MS, SWEEP_BATCH)) {
        try {
          await deps.workflows.device.start(task);
          await deviceTasks.markDispatched([task.id]);
          restarted++;
        } catch (err) {
          log.warn('restart of a stranded device task failed', { taskId: task.id, error: String(err) });
        }
      }
      if (closedSince === undefined) return { restarted, ended: 0 };
      const vanished = await endTasksOfVanishedRuns(deps.workflows.device, deviceTasks, closedSince);
      return { restarted, ...vanished };
    },
  };
}

export type DeviceActivities = ReturnType<typeof createDeviceActivities>;
