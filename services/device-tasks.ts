import type { FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Device, DeviceAccount, DeviceTask, type IDeviceAccount, type IDeviceTask } from '../db/entities';
import { attemptSeq, deviceWorkflowId, DeviceTaskStatus, finalSeqOfAttempt, type DeviceTaskStatusValue } from '../domain';
import { NotFoundError, ValidationError } from '../lib/errors';
import { adjustCounts, sumCountsBy } from './listing/counts';
import { deleteCounted, updateCounted, type Counted } from './listing/counted-write';
import { retryOnDeadlock } from './listing/deadlock';
import { planPage, readPage, type ListingFilter, type ListingTable } from './listing/page';
import { rowMapper } from './listing/rows';
import { pageOf, type Page, type PageRequest } from './paging';
import { writeTransaction } from '../db/write-transaction';

/** One request to POST /api/v1/task, validated: the configs are already fanned out per target. */
export interface NewDeviceTasks {
  serials?: string[];
  usernames?: string[];
  scriptName: string;
  configs: Record<string, unknown>[];
  enableMultiAccount: boolean;
  runAt: number | null;
  minIntervalSeconds: number;
  maxIntervalSeconds: number;
  source: 'api' | 'ui';
}

export interface DeviceTaskFilter {
  status?: DeviceTaskStatusValue;
  serial?: string;
  scriptName?: string;
  source?: string;
}

export interface DeviceTaskStats {
  total: number;
  pending: number;
  running: number;
  completed: number;
  failed: number;
}

/** Fields a workflow writes on its task. */
export type DeviceTaskPatch = Partial<Pick<IDeviceTask, 'status' | 'remark' | 'startedAt' | 'endedAt' | 'retryCount' | 'runAt'>>;

/** One request creates at most this many tasks (devices × accounts × targets). */
export const MAX_TASKS_PER_REQUEST = 1000;

export type DeviceTasks = ReturnType<typeof createDeviceTasks>;

/** The cells `device_task_counts` keeps: TikMatrix's list filters, for everyone (device tasks have no owner). */
export const DEVICE_TASK_COUNTS: Counted<IDeviceTask> = {
  table: 'device_task_counts',
  facets: { status: (r) => r.status, serial: (r) => r.serial, script_name: (r) => r.scriptName, source: (r) => r.source },
  properties: ['status', 'serial', 'scriptName', 'source'],
  blocks: {
    listing: 'device_tasks',
    facets: { status: (r) => r.status, serial: (r) => r.serial, script_name: (r) => r.scriptName, source: (r) => r.source },
  },
};

interface Target {
  serial: string;
  username: string | null;
}

export function createDeviceTasks(orm: Orm) {
  const fork = () => orm.em.fork() as Em;
  const listing: ListingTable<IDeviceTask> = {
    table: 'device_tasks',
    ...rowMapper<IDeviceTask>(orm, DeviceTask),
    walks: [
      ['status', 'id'],
      ['serial', 'id'],
      ['serial', 'status', 'id'],
      ['script_name', 'id'],
      ['source', 'id'],
    ],
    counts: { table: DEVICE_TASK_COUNTS.table, counted: Object.keys(DEVICE_TASK_COUNTS.facets) },
    blocks: { facets: Object.keys(DEVICE_TASK_COUNTS.facets) },
  };

  /**
   * Resolves the request's phones and accounts and inserts one row per phone (or account)
   * per fanned-out config, all in one transaction: either every task exists or none does.
   */
  async function create(input: NewDeviceTasks): Promise<IDeviceTask[]> {
    return retryOnDeadlock(() =>
      writeTransaction(fork(), async (em) => {
        const targets = input.usernames?.length
          ? await accountTargets(em, input.usernames)
          : await deviceTargets(em, input.serials ?? [], input.enableMultiAccount);
        const count = targets.length * input.configs.length;
        if (count > MAX_TASKS_PER_REQUEST) {
          throw new ValidationError(
            `this request would create ${count} tasks (${targets.length} phones/accounts × ${input.configs.length} targets); ` +
              `at most ${MAX_TASKS_PER_REQUEST} per request`,
          );
        }
        const now = Date.now();
        const rows = targets.flatMap((target) =>
          input.configs.map((config) =>
            em.create(DeviceTask, {
              serial: target.serial,
              username: target.username,
              scriptName: input.scriptName,
              scriptConfig: config,
              status: DeviceTaskStatus.pending,
              remark: '',
              source: input.source,
              retryCount: 0,
              minIntervalSeconds: input.minIntervalSeconds,
              maxIntervalSeconds: input.maxIntervalSeconds,
              runAt: input.runAt,
              startedAt: null,
              endedAt: null,
              workflowId: '',
              dispatchedAt: null,
              seq: 0,
              createdAt: now,
              updatedAt: now,
            }),
          ),
        );
        await em.flush();
        // The workflow id carries the row id, which only exists once inserted.
        for (const row of rows) row.workflowId = deviceWorkflowId(row.id);
        await em.flush();
        await adjustCounts(
          em,
          DEVICE_TASK_COUNTS,
          rows.map((row) => ({ row: row, delta: 1 })),
        );
        return rows;
      }),
    );
  }

  async function deviceTargets(em: Em, rawSerials: string[], multiAccount: boolean): Promise<Target[]> {
    const serials = [...new Set(rawSerials)];
    const devices = await em.find(Device, { serial: { $in: serials } });
    const bySerial = new Map(devices.map((d) => [d.serial, d]));
    const unknown = serials.filter((s) => !bySerial.has(s));
    if (unknown.length)
      throw new NotFoundError(`unknown device serial${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (register phones with POST /api/v1/device)`);
    const disabled = serials.filter((s) => !bySerial.get(s)!.enabled);
    if (disabled.length)
      throw new ValidationError(`device${disabled.length > 1 ? 's' : ''} ${disabled.join(', ')} ${disabled.length > 1 ? 'are' : 'is'} disabled`);
    if (!multiAccount) return serials.map((serial) => ({ serial, username: null }));

    const accounts = await em.find(DeviceAccount, { device: { $in: serials }, enabled: true }, { orderBy: { id: 'asc' } });
    const byDevice = new Map<string, IDeviceAccount[]>();
    for (const a of accounts) byDevice.set(a.device, [...(byDevice.get(a.device) ?? []), a]);
    const without = serials.filter((s) => !byDevice.has(s));
    if (without.length)
      throw new ValidationError(
        `enable_multi_account: no enabled account on device${without.length > 1 ? 's' : ''} ${without.join(', ')} (add accounts with POST /api/v1/account)`,
      );
    return serials.flatMap((serial) => byDevice.get(serial)!.map((a) => ({ serial, username: a.username })));
  }

  async function accountTargets(em: Em, rawUsernames: string[]): Promise<Target[]> {
    const usernames = [...new Set(rawUsernames)];
    const accounts = await em.find(DeviceAccount, { username: { $in: usernames } });
    const byName = new Map(accounts.map((a) => [a.username, a]));
    const unknown = usernames.filter((u) => !byName.has(u));
    if (unknown.length)
      throw new NotFoundError(`unknown username${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (add accounts with POST /api/v1/account)`);
    const disabled = usernames.filter((u) => !byName.get(u)!.enabled);
    if (disabled.length)
      throw new ValidationError(`account${disabled.length > 1 ? 's' : ''} ${disabled.join(', ')} ${disabled.length > 1 ? 'are' : 'is'} disabled`);
    const devices = await em.find(Device, { serial: { $in: [...new Set(accounts.map((a) => a.device))] } });
    const bySerial = new Map(devices.map((d) => [d.serial, d]));
    for (const username of usernames) {
      const serial = byName.get(username)!.device;
      const device = bySerial.get(serial);
      if (!device) throw new ValidationError(`account ${username} is bound to device ${serial}, which is not registered`);
      if (!device.enabled) throw new ValidationError(`account ${username} is bound to device ${serial}, which is disabled`);
    }
    return usernames.map((username) => ({ serial: byName.get(username)!.device, username }));
  }

  async function get(id: number): Promise<IDeviceTask> {
    const task = await fork().findOne(DeviceTask, { id });
    if (!task) throw new NotFoundError(`task ${id} not found`);
    return task;
  }

  const byIds = (ids: number[]) => (ids.length ? fork().find(DeviceTask, { id: { $in: ids } }, { orderBy: { id: 'asc' } }) : Promise.resolve([]));

  function equalsOf(filter: DeviceTaskFilter): ListingFilter['equals'] {
    const equals: ListingFilter['equals'] = {};
    if (filter.status !== undefined) equals.status = filter.status;
    if (filter.serial) equals.serial = filter.serial;
    if (filter.scriptName) equals.script_name = filter.scriptName;
    if (filter.source) equals.source = filter.source;
    return equals;
  }

  async function list(filter: DeviceTaskFilter, page: PageRequest): Promise<Page<IDeviceTask>> {
    const { items, total } = await readPage(fork(), listing, { equals: equalsOf(filter) }, page.offset, page.pageSize);
    return pageOf(items, total, page);
  }

  /** The SQL list() sends for this page (benchmarks compare the endpoint with it). */
  const listSql = (filter: DeviceTaskFilter, page: PageRequest) => planPage(fork(), listing, { equals: equalsOf(filter) }, page.offset, page.pageSize);

  /** Counts per status under the list's own filters, from the same counter cells as the list's total, so the two always agree. */
  async function stats(filter: Omit<DeviceTaskFilter, 'status'>): Promise<DeviceTaskStats> {
    const byStatus = await sumCountsBy(fork(), DEVICE_TASK_COUNTS.table, 'status', equalsOf(filter));
    const n = (status: number) => byStatus.get(status) ?? byStatus.get(String(status)) ?? 0;
    const counts = {
      pending: n(DeviceTaskStatus.pending),
      running: n(DeviceTaskStatus.running),
      completed: n(DeviceTaskStatus.completed),
      failed: n(DeviceTaskStatus.failed),
    };
    return { total: counts.pending + counts.running + counts.completed + counts.failed, ...counts };
  }

  /**
   * Applies a workflow's write if it is newer than the last one applied. True when the row now
   * shows this write: applied here, or by an earlier attempt of the same write whose answer was
   * lost (a worker killed after the commit re-runs its local activity on another worker). False
   * when a later write (a stop, a delete, a newer attempt) is there instead.
   */
  async function apply(id: number, seq: number, patch: DeviceTaskPatch): Promise<boolean> {
    const where: FilterQuery<IDeviceTask> = { id, seq: { $lt: seq } };
    const values = { ...patch, seq, updatedAt: Date.now() };
    const written = patch.status === undefined ? await fork().nativeUpdate(DeviceTask, where, values) : await counted(where, values);
    if (written === 1) return true;
    const row = await fork().findOne(DeviceTask, { id }, { fields: ['seq'] });
    return row?.seq === seq;
  }

  /** A write that may change a task's status, with its counter move (services/listing/counted-write.ts). */
  const counted = (where: FilterQuery<IDeviceTask>, values: Partial<IDeviceTask>) =>
    updateCounted(fork(), { entity: DeviceTask, where, values, touch: { updatedAt: Date.now() }, counts: DEVICE_TASK_COUNTS });

  /**
   * Ends a task whose workflow is not running (never started, or gone): final for its
   * attempt. A row that already reached an end (its workflow finished meanwhile) keeps it.
   */
  async function failWithoutWorkflow(task: Pick<IDeviceTask, 'id' | 'retryCount'>, remark: string): Promise<boolean> {
    const seq = finalSeqOfAttempt(task.retryCount);
    const changed = await counted(
      { id: task.id, seq: { $lt: seq }, status: { $in: [DeviceTaskStatus.pending, DeviceTaskStatus.running] } },
      { status: DeviceTaskStatus.failed, remark, endedAt: Date.now(), seq, updatedAt: Date.now() },
    );
    return changed === 1;
  }

  async function markDispatched(ids: number[]): Promise<void> {
    if (ids.length) await fork().nativeUpdate(DeviceTask, { id: { $in: ids }, dispatchedAt: null }, { dispatchedAt: Date.now() });
  }

  /** Pending tasks whose workflow was never started (the API stopped between commit and start). */
  const stranded = (olderThanMs: number, limit: number) =>
    fork().find(
      DeviceTask,
      { status: DeviceTaskStatus.pending, dispatchedAt: null, updatedAt: { $lt: Date.now() - olderThanMs } },
      { orderBy: { id: 'asc' }, limit },
    );

  /**
   * Turns a failed task back into a pending one for its next attempt. Guarded on the
   * state it was read in, so two concurrent retries cannot both win.
   */
  async function resetForRetry(task: Pick<IDeviceTask, 'id' | 'retryCount'>): Promise<IDeviceTask | null> {
    const next = task.retryCount + 1;
    const changed = await counted(
      { id: task.id, status: DeviceTaskStatus.failed, retryCount: task.retryCount },
      {
        status: DeviceTaskStatus.pending,
        retryCount: next,
        remark: '',
        runAt: null,
        startedAt: null,
        endedAt: null,
        dispatchedAt: null,
        seq: attemptSeq(next, 0),
        updatedAt: Date.now(),
      },
    );
    return changed === 1 ? fork().findOne(DeviceTask, { id: task.id }) : null;
  }

  /** Failed tasks after `afterId`, oldest first: retry-all walks them page by page. */
  const failedAfter = (afterId: number, limit: number) =>
    fork().find(DeviceTask, { status: DeviceTaskStatus.failed, id: { $gt: afterId } }, { orderBy: { id: 'asc' }, limit });

  /** Deletes the rows; returns the ids that existed. */
  async function remove(ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return deleteCounted(fork(), { entity: DeviceTask, ids, touch: { updatedAt: Date.now() }, counts: DEVICE_TASK_COUNTS });
  }

  return { create, get, byIds, list, listSql, stats, apply, failWithoutWorkflow, markDispatched, stranded, resetForRetry, failedAfter, remove };
}
