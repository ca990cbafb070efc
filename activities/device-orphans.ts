import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DeviceTaskStatus } from '../db/entities';
import type { DeviceTasks } from '../services/device-tasks';
import { TaskKind } from '../temporal/search-attributes';

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

const taskIdOf = (workflowId: string) => {
  const m = /^device-(\d+)$/.exec(workflowId);
  return m ? Number(m[1]) : null;
};

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
export async function endTasksOfVanishedRuns(client: Client, deviceTasks: DeviceTasks, closedSince: number): Promise<{ ended: number; closedUntil: number }> {
  const roundStartedAt = Date.now();
  const statuses = Object.values(VANISHED)
    .map((s) => `'${s}'`)
    .join(', ');
  const query = `${TaskKind.name} = 'device' AND ExecutionStatus IN (${statuses}) AND CloseTime >= '${new Date(closedSince).toISOString()}'`;

  let listed = 0;
  let ended = 0;
  let complete = true;
  let chunk = new Map<number, number>();
  const endOpenRows = async () => {
    const closedAt = chunk;
    chunk = new Map();
    // A row written after the run closed (a stop, a retry about to start a new run) was not left behind by it.
    const open = (await deviceTasks.byIds([...closedAt.keys()])).filter(
      (t) => (t.status === DeviceTaskStatus.pending || t.status === DeviceTaskStatus.running) && t.updatedAt <= closedAt.get(t.id)!,
    );
    for (const task of open) {
      if (ended >= MAX_ENDED) return false;
      const latest = await latestStatus(client, task.workflowId);
      if (latest !== null && !(latest in VANISHED)) continue;
      if (await deviceTasks.failWithoutWorkflow(task, remarkOf(latest))) {
        ended++;
        log.warn('device task ended: its workflow closed without finishing it', { taskId: task.id, workflowStatus: latest ?? 'NOT_FOUND' });
      }
    }
    return true;
  };

  for await (const run of client.workflow.list({ query, pageSize: LIST_CHUNK })) {
    const id = taskIdOf(run.workflowId);
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

/** The status of the workflow's latest run, or null when Temporal has none (retention removed it). */
async function latestStatus(client: Client, workflowId: string): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
