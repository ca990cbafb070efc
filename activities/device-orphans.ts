import { log } from '@temporalio/activity';
import { deviceTaskIdOf, isUnfinishedDeviceTask } from '../domain';
import type { DeviceTasks } from '../services/device-tasks';
import type { DeviceWorkflows } from '../temporal/task-workflows/device';

/** Closed runs listed per round at most; past it the cursor stays put and the next round goes on. */
const MAX_LISTED = 50_000;
/** Rows ended per round at most (each costs a describe). */
const MAX_ENDED = 1_000;
/** Visibility lags its history a little (more on Elasticsearch): the next round looks back this far. */
const VISIBILITY_LAG_MS = 60_000;
const LIST_CHUNK = 500;

/**
 * Ways a run can close without having written its own end to the task's row: the client's
 * status name (what describe() gives) → the visibility query's spelling.
 */
const VANISHED: Record<string, string> = { TERMINATED: 'Terminated', TIMED_OUT: 'TimedOut', FAILED: 'Failed' };

const remarkOf = (status: string | null) =>
  status === null
    ? 'its workflow no longer exists in Temporal; the task did not finish'
    : `its workflow was ${status.toLowerCase().replace('_', ' ')} in Temporal before the task finished`;

/**
 * Ends the rows of device tasks whose workflow closed without ending them: an operator
 * terminated it in the Temporal UI, or it timed out. Without this a row would say
 * "running" (or "pending") forever. The closed runs come from Temporal's visibility,
 * since `closedSince`; a row is ended only if the latest run of its workflow is closed too
 * (a retry may have started a new one), and only if it is still pending or running and
 * nothing wrote to it after that run closed.
 */
export async function endTasksOfVanishedRuns(
  workflows: DeviceWorkflows,
  deviceTasks: DeviceTasks,
  closedSince: number,
): Promise<{ ended: number; closedUntil: number }> {
  const roundStartedAt = Date.now();

  let listed = 0;
  let ended = 0;
  let complete = true;
  let chunk = new Map<number, number>();
  const endOpenRows = async () => {
    const closedAt = chunk;
    chunk = new Map();
    // A row written after the run closed (a stop, a retry about to start a new run) was not left behind by it.
    const open = (await deviceTasks.byIds([...closedAt.keys()])).filter((t) => isUnfinishedDeviceTask(t.status) && t.updatedAt <= closedAt.get(t.id)!);
    for (const task of open) {
      if (ended >= MAX_ENDED) return false;
      const latest = await workflows.status(task.workflowId);
      if (latest !== null && !(latest in VANISHED)) continue;
      if (await deviceTasks.failWithoutWorkflow(task, remarkOf(latest))) {
        ended++;
        log.warn('device task ended: its workflow closed without finishing it', { taskId: task.id, workflowStatus: latest ?? 'NOT_FOUND' });
      }
    }
    return true;
  };

  for await (const run of workflows.closedRuns(Object.values(VANISHED), closedSince, LIST_CHUNK)) {
    const id = deviceTaskIdOf(run.workflowId);
    if (id !== null && run.closeTime) chunk.set(id, Math.max(chunk.get(id) ?? 0, run.closeTime.getTime()));
    if (chunk.size >= LIST_CHUNK && !(await endOpenRows())) {
      complete = false;
      break;
    }
    if (++listed >= MAX_LISTED) {
      complete = false;
      break;
    }
  }
  if (complete && chunk.size) complete = await endOpenRows();
  return { ended, closedUntil: complete ? roundStartedAt - VISIBILITY_LAG_MS : closedSince };
}
