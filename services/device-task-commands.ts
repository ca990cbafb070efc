import type { IDeviceTask } from '../db/entities';
import { DEVICE_TASK_STATUS_NAMES, DeviceTaskStatus, isUnfinishedDeviceTask } from '../domain';
import { fanOut, parseScriptConfig, type ScriptName } from '../devices';
import type { Config } from '../lib/config';
import { UnsupportedError, ValidationError } from '../lib/errors';
import { inParallel } from '../lib/in-parallel';
import type { Logger } from '../lib/logger';
import type { TaskWorkflows } from '../temporal/task-workflows';
import { resolveStartTime } from './device-time';
import type { Services } from '.';

/** POST /api/v1/task as received, before any validation beyond its shape. */
export interface CreateDeviceTasksRequest {
  serials?: string[];
  usernames?: string[];
  scriptName?: string;
  scriptConfig?: unknown;
  enableMultiAccount?: boolean;
  startTime?: string;
  minIntervalMinutes?: number;
  maxIntervalMinutes?: number;
  source?: 'api' | 'ui';
}

export interface DeviceCommandDeps {
  services: Services;
  workflows: TaskWorkflows;
  config: Pick<Config, 'devices'>;
  log?: Logger;
  /** The clock start_time "HH:MM" is resolved against. */
  now?: () => number;
}

/** Workflow starts and signals in flight at once for one request. */
const CONCURRENCY = 16;

const isUnfinished = (t: IDeviceTask) => isUnfinishedDeviceTask(t.status);
const statusName = (t: IDeviceTask) => DEVICE_TASK_STATUS_NAMES[t.status];

/**
 * What the TikMatrix task API does that spans the database and Temporal: create (rows
 * first, then one workflow each), stop, delete, retry. The rows are the record of what
 * was asked; a workflow that could not be started is started later by the sweeper.
 */
export function deviceTaskCommands(deps: DeviceCommandDeps) {
  const { deviceTasks, devices, accounts } = deps.services;
  const now = deps.now ?? Date.now;

  async function create(req: CreateDeviceTasksRequest): Promise<IDeviceTask[]> {
    if (!req.scriptName) throw new ValidationError('script_name is required', { codes: { tikmatrix: 40002 } });
    const parsed = parseScriptConfig(req.scriptName, req.scriptConfig);
    if (!parsed.ok) {
      if (parsed.code === 40003) throw new UnsupportedError(parsed.message, { codes: { tikmatrix: 40003 } });
      throw new ValidationError(parsed.message);
    }
    const serials = req.serials ?? [];
    const usernames = req.usernames ?? [];
    if (serials.length === 0 && usernames.length === 0)
      throw new ValidationError('give the phones to run on: serials (device mode) or usernames (account mode)');
    if (serials.length > 0 && usernames.length > 0) throw new ValidationError('give either serials (device mode) or usernames (account mode), not both');
    const min = req.minIntervalMinutes ?? 0;
    const max = Math.max(req.maxIntervalMinutes ?? min, min);
    if (req.maxIntervalMinutes !== undefined && req.maxIntervalMinutes < min)
      throw new ValidationError(`max_interval (${req.maxIntervalMinutes}) must not be below min_interval (${min})`);

    const tasks = await deviceTasks.create({
      serials,
      usernames,
      scriptName: req.scriptName,
      configs: fanOut(req.scriptName as ScriptName, parsed.config),
      // TikMatrix: "only takes effect in device mode"; username mode ignores it.
      enableMultiAccount: serials.length > 0 && (req.enableMultiAccount ?? false),
      runAt: req.startTime ? resolveStartTime(req.startTime, now(), deps.config.devices.timeZone) : null,
      minIntervalSeconds: Math.round(min * 60),
      maxIntervalSeconds: Math.round(max * 60),
      source: req.source ?? 'api',
    });
    await dispatch(tasks);
    return tasks;
  }

  /** Starts each task's workflow. One that fails to start stays pending for the sweeper. */
  async function dispatch(tasks: IDeviceTask[], mode: 'fresh' | 'retry' = 'fresh'): Promise<number[]> {
    const started: number[] = [];
    await inParallel(tasks, CONCURRENCY, async (task) => {
      try {
        await deps.workflows.device.start(task, mode);
        started.push(task.id);
      } catch (err) {
        deps.log?.warn({ event: 'device_task.start_failed', task_id: task.id, err }, 'workflow start failed; the sweeper will retry it');
      }
    });
    await deviceTasks.markDispatched(started);
    return started;
  }

  /**
   * Asks the task's workflow to stop wherever it is. A task whose workflow is not
   * running (never started, or gone) is ended here instead.
   */
  async function signalStop(task: IDeviceTask, reason: string): Promise<void> {
    if (!(await deps.workflows.device.stop(task, reason))) await deviceTasks.failWithoutWorkflow(task, `${reason} (no workflow was running for it)`);
  }

  async function stop(id: number): Promise<IDeviceTask> {
    const task = await deviceTasks.get(id);
    if (!isUnfinished(task)) throw new ValidationError(`task ${id} is ${statusName(task)}; only pending or running tasks can be stopped`);
    await signalStop(task, 'stopped by request');
    return task;
  }

  async function remove(id: number): Promise<{ stopped: boolean }> {
    const task = await deviceTasks.get(id);
    const stopped = isUnfinished(task);
    if (stopped) await signalStop(task, 'deleted');
    await deviceTasks.remove([id]);
    return { stopped };
  }

  /** Deletes the tasks that exist (stopping unfinished ones first) and reports the ids that do not. */
  async function removeMany(ids: number[]): Promise<{ deleted: number[]; notFound: number[] }> {
    const unique = [...new Set(ids)];
    const found = await deviceTasks.byIds(unique);
    await inParallel(found.filter(isUnfinished), CONCURRENCY, (task) => signalStop(task, 'deleted'));
    const deleted = await deviceTasks.remove(found.map((t) => t.id));
    return { deleted, notFound: unique.filter((id) => !deleted.includes(id)) };
  }

  /** Why a failed task cannot run again, or null when it can. */
  async function whyNotRetryable(task: IDeviceTask): Promise<string | null> {
    if (task.status !== DeviceTaskStatus.failed) return `task ${task.id} is ${statusName(task)}; only failed tasks can be retried`;
    const max = deps.config.devices.maxRetries;
    if (task.retryCount >= max) return `task ${task.id} has been retried ${task.retryCount} times, the limit (DEVICE_TASK_MAX_RETRIES=${max})`;
    const [device] = await devices.bySerials([task.serial]);
    if (!device) return `task ${task.id}: device ${task.serial} is no longer registered`;
    if (!device.enabled) return `task ${task.id}: device ${task.serial} is disabled`;
    if (task.username) {
      const [account] = await accounts.byUsernames([task.username]);
      if (!account) return `task ${task.id}: account ${task.username} no longer exists`;
      if (!account.enabled) return `task ${task.id}: account ${task.username} is disabled`;
    }
    return null;
  }

  async function restart(task: IDeviceTask): Promise<boolean> {
    const reset = await deviceTasks.resetForRetry(task);
    if (!reset) return false;
    await dispatch([reset], 'retry');
    return true;
  }

  async function retry(id: number): Promise<IDeviceTask> {
    const task = await deviceTasks.get(id);
    const reason = await whyNotRetryable(task);
    if (reason) throw new ValidationError(reason);
    if (!(await restart(task))) throw new ValidationError(`task ${id} changed while it was being retried; read it again`);
    return deviceTasks.get(id);
  }

  /** Retries every failed task that may run again; the others are counted as skipped. */
  async function retryAll(): Promise<{ retried: number; skipped: number }> {
    const summary = { retried: 0, skipped: 0 };
    let after = 0;
    for (let page = 0; page < 10_000; page++) {
      const failed = await deviceTasks.failedAfter(after, 200);
      if (failed.length === 0) break;
      after = failed[failed.length - 1].id;
      await inParallel(failed, CONCURRENCY, async (task) => {
        const ok = (await whyNotRetryable(task)) === null && (await restart(task));
        summary[ok ? 'retried' : 'skipped']++;
      });
    }
    return summary;
  }

  return { create, stop, remove, removeMany, retry, retryAll };
}

export type DeviceTaskCommands = ReturnType<typeof deviceTaskCommands>;
