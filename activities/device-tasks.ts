import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Services } from '../services';
import type { DeviceTaskPatch } from '../services/device-tasks';
import { TaskDevice, TaskKind } from '../temporal/search-attributes';
import { phoneLockWorkflowId, releaseLock, requestLock, type LockRequest, type PhoneLockState } from '../workflows/device/definitions';
import { startDeviceWorkflow, type DeviceStartConfig } from './device-start';
import { endTasksOfVanishedRuns } from './device-orphans';

export interface DeviceActivityDeps {
  services: Services;
  client: Client;
  start: DeviceStartConfig;
}

/** A pending row this old without a started workflow was left behind by an API that stopped. */
const STRANDED_AFTER_MS = 60_000;
const SWEEP_BATCH = 100;

/** Bookkeeping around device tasks: projection writes, the phone locks, the sweep of stranded and orphaned tasks. */
export function createDeviceActivities(deps: DeviceActivityDeps) {
  const { deviceTasks } = deps.services;

  return {
    /** Writes a state change to the task's row if it is newer than what the row shows; false when it was not. */
    async recordDeviceTask({ taskId, version, patch }: { taskId: number; version: number; patch: DeviceTaskPatch }): Promise<boolean> {
      return deviceTasks.apply(taskId, version, patch);
    },

    /** Queues the run for its phone, starting the phone's lock workflow if it is not running. */
    async enqueueOnPhone({ serial, request, checkMs }: { serial: string; request: LockRequest; checkMs: number }): Promise<void> {
      const initial: PhoneLockState = { serial, queue: [], holder: null, lastReleasedAt: null, recentlyReleased: [], checkMs };
      await deps.client.workflow.signalWithStart('phoneLock', {
        workflowId: phoneLockWorkflowId(serial),
        taskQueue: deps.start.taskQueue,
        args: [initial],
        signal: requestLock,
        signalArgs: [request],
        typedSearchAttributes: [
          { key: TaskKind, value: 'phone-lock' },
          { key: TaskDevice, value: serial },
        ],
      });
    },

    async releasePhone({ serial, requestId }: { serial: string; requestId: string }): Promise<void> {
      try {
        await deps.client.workflow.getHandle(phoneLockWorkflowId(serial)).signal(releaseLock, { requestId });
      } catch (err) {
        // No lock workflow: nothing is held.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },

    /** Whether the run holding a phone is still alive; a lock frees the phone of a dead one. */
    async isRunOpen({ workflowId, runId }: { workflowId: string; runId: string }): Promise<boolean> {
      try {
        const described = await deps.client.workflow.getHandle(workflowId, runId).describe();
        return described.status.name === 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },

    /**
     * Starts the workflows of pending tasks that never got one and, given `closedSince`,
     * ends the rows whose workflow closed (terminated, timed out) since then without ending them.
     */
    async sweepDeviceTasks({ closedSince }: { closedSince?: number } = {}): Promise<{ restarted: number; ended: number; closedUntil?: number }> {
      let restarted = 0;
      for (const task of await deviceTasks.stranded(STRANDED_AFTER_MS, SWEEP_BATCH)) {
        try {
          await startDeviceWorkflow(deps.client, deps.start, task);
          await deviceTasks.markDispatched([task.id]);
          restarted++;
        } catch (err) {
          log.warn('restart of a stranded device task failed', { taskId: task.id, error: String(err) });
        }
      }
      if (closedSince === undefined) return { restarted, ended: 0 };
      const vanished = await endTasksOfVanishedRuns(deps.client, deviceTasks, closedSince);
      return { restarted, ...vanished };
    },
  };
}

export type DeviceActivities = ReturnType<typeof createDeviceActivities>;
