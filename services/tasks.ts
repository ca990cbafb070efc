import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em, Orm } from '../db/orm';
import { IN_FLIGHT, Task, type ITask, type TaskStatusValue } from '../db/entities';
import { randomString } from '../lib/credentials';
import type { Ledger } from './ledger';
import { nowSeconds } from './ledger';
import { pageOf, type Page, type PageRequest } from './paging';
import { bumpCount, readCount } from './task-counts';

export interface NewTask {
  platform: string;
  action: string;
  userId: number;
  tokenId: number | null;
  /** Quota to charge; charged in the same transaction as the insert. */
  quota: number;
  properties: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface TaskFilter {
  userId?: number;
  channelId?: number;
  platform?: string;
  taskId?: string;
  status?: string;
  action?: string;
  /** Seconds, on submit_time, inclusive. */
  startTimestamp?: number;
  endTimestamp?: number;
}

/** Fields a workflow may change on its task; `seq` orders the writes. */
export type TaskPatch = Partial<
  Pick<ITask, 'channelId' | 'status' | 'failReason' | 'submitTime' | 'startTime' | 'finishTime' | 'progress' | 'data' | 'upstreamTaskId' | 'quota'>
>;

export type Tasks = ReturnType<typeof createTasks>;

export const taskRef = (t: Pick<ITask, 'platform' | 'taskId'>) => `${t.platform}:${t.taskId}`;
export const newTaskId = () => `task_${randomString(32)}`;
const FINAL_SEQ = 2_000_000_000;

export function createTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const mysql = orm.config.get('driver') === MySqlDriver;

  /**
   * Inserts the task and charges for it atomically: either the caller has a
   * task it paid for, or nothing happened. A repeated Idempotency-Key returns
   * the first task (`created: false`) and charges nothing.
   */
  async function create(input: NewTask): Promise<{ task: ITask; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await fork().findOne(Task, { userId: input.userId, idempotencyKey: input.idempotencyKey });
      if (existing) return { task: existing, created: false };
    }
    try {
      const task = await fork().transactional(async (tx) => {
        const em = tx as Em;
        const now = nowSeconds();
        const task = em.create(Task, {
          taskId: newTaskId(),
          platform: input.platform,
          action: input.action,
          userId: input.userId,
          tokenId: input.tokenId,
          quota: input.quota,
          status: 'NOT_START',
          properties: input.properties,
          data: null,
          idempotencyKey: input.idempotencyKey ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        await ledger.chargeIn(em, {
          userId: input.userId,
          tokenId: input.tokenId,
          amount: input.quota,
          taskRef: taskRef(task),
          remark: `${input.platform} ${input.action}`,
        });
        await bumpCount(em, input.userId, input.platform);
        return task;
      });
      return { task, created: true };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && input.idempotencyKey) {
        const winner = await fork().findOne(Task, { userId: input.userId, idempotencyKey: input.idempotencyKey });
        if (winner) return { task: winner, created: false };
      }
      throw err;
    }
  }

  const byTaskId = (taskId: string) => fork().findOne(Task, { taskId });

  /** The caller's own tasks among `taskIds`; others' ids are indistinguishable from unknown ones. */
  const findOwned = (userId: number, taskIds: string[]) =>
    taskIds.length === 0 ? Promise.resolve([]) : fork().find(Task, { userId, taskId: { $in: taskIds } }, { orderBy: { id: 'desc' } });

  async function list(filter: TaskFilter, page: PageRequest): Promise<Page<ITask>> {
    const where: FilterQuery<ITask> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.channelId !== undefined) where.channelId = filter.channelId;
    if (filter.platform) where.platform = filter.platform;
    if (filter.taskId) where.taskId = filter.taskId;
    if (filter.status) where.status = filter.status as TaskStatusValue;
    if (filter.action) where.action = filter.action;
    if (filter.startTimestamp !== undefined || filter.endTimestamp !== undefined) {
      where.submitTime = {
        ...(filter.startTimestamp !== undefined ? { $gte: filter.startTimestamp } : {}),
        ...(filter.endTimestamp !== undefined ? { $lte: filter.endTimestamp } : {}),
      };
    }
    const em = fork();
    const [items, total] = await Promise.all([
      em.find(Task, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset, indexHint: pageIndexHint(filter) }),
      count(em, filter, where),
    ]);
    return pageOf(items, total, page);
  }

  /**
   * With a status filter, MariaDB's optimizer prefers intersecting the user and
   * status indexes and sorting ~all matching rows (10 s at a million rows in
   * bench/task-listing) over walking the composite index that already has the
   * order (0.15 s). Name the index on MySQL; SQLite plans it well by itself.
   */
  function pageIndexHint(filter: TaskFilter): string | undefined {
    if (!mysql || !filter.status) return undefined;
    return filter.userId !== undefined ? 'use index (tasks_user_id_status_id_index)' : 'use index (tasks_status_id_index)';
  }

  /** Unfiltered (or platform-only) totals come from the counters; anything else counts rows. */
  async function count(em: Em, filter: TaskFilter, where: FilterQuery<ITask>): Promise<number> {
    const { userId, platform, ...rest } = filter;
    if (Object.values(rest).every((v) => v === undefined || v === '')) {
      return readCount(em, userId ?? 0, platform ? [platform] : undefined);
    }
    return fork().count(Task, where);
  }

  /** Applies a workflow's write if it is newer than the last one applied; returns whether it was. */
  async function apply(taskId: string, seq: number, patch: TaskPatch): Promise<boolean> {
    const changed = await fork().nativeUpdate(Task, { taskId, seq: { $lt: seq } }, { ...patch, seq, updatedAt: nowSeconds() });
    return changed === 1;
  }

  /** In-flight tasks already at an upstream, grouped by channel, for batched polling. */
  async function inFlightByChannel(platform: string, limitPerChannel: number): Promise<Map<number, ITask[]>> {
    const rows = await fork().find(
      Task,
      { platform, status: { $in: [...IN_FLIGHT] }, upstreamTaskId: { $ne: null }, channelId: { $gt: 0 } },
      { orderBy: { id: 'asc' }, fields: ['id', 'taskId', 'channelId', 'upstreamTaskId', 'status', 'progress', 'finishTime', 'data'] },
    );
    const groups = new Map<number, ITask[]>();
    for (const row of rows) {
      const group = groups.get(row.channelId) ?? [];
      if (group.length < limitPerChannel) group.push(row as ITask);
      groups.set(row.channelId, group);
    }
    return groups;
  }

  /** Stamps the tasks an upstream just reported, so their workflows know the batched poller is alive for them. */
  async function markPolled(ids: number[]): Promise<void> {
    if (ids.length) await fork().nativeUpdate(Task, { id: { $in: ids } }, { polledAt: nowSeconds() });
  }

  /**
   * Tasks created but never handed to an upstream after `olderThanSeconds`: their workflow may not exist.
   * `channelId: 0` (never submitted) lets this run every round on the (platform, channel_id, status) index.
   */
  const stranded = (platform: string, olderThanSeconds: number, limit: number) =>
    fork().find(
      Task,
      { platform, channelId: 0, status: 'NOT_START', upstreamTaskId: null, createdAt: { $lt: nowSeconds() - olderThanSeconds } },
      { limit, orderBy: { id: 'asc' } },
    );

  /**
   * Gives up on a task whose workflow could not be started: marks it failed and
   * refunds it. Written with the highest sequence number, so it is final.
   */
  async function abandon(taskId: string, reason: string): Promise<void> {
    const task = await byTaskId(taskId);
    if (!task) return;
    await ledger.refund(taskRef(task), reason.slice(0, 255));
    await apply(taskId, FINAL_SEQ, { status: 'FAILURE', progress: '100%', failReason: reason, finishTime: nowSeconds(), quota: 0 });
  }

  return { create, byTaskId, findOwned, list, apply, inFlightByChannel, markPolled, stranded, abandon };
}
