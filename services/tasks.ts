import type { FilterQuery } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em, Orm } from '../db/orm';
import { Task, type ITask } from '../db/entities';
import { generationRef, nowSeconds, TASK_IN_FLIGHT, type TaskStatusValue } from '../domain';
import { randomString } from '../lib/credentials';
import { generationRows } from './generation/rows';
import { findInChunks } from './in-chunks';
import { readCount } from './generation/task-counts';
import type { Ledger } from './ledger';
import { pageOf, rangeOf, type Page, type PageRequest } from './paging';

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

export const taskRef = (t: Pick<ITask, 'platform' | 'taskId'>) => generationRef(t.platform, t.taskId);
export const newTaskId = () => `task_${randomString(32)}`;

/** What the Suno poller compares with the upstream's report. */
const POLLED_FIELDS = ['progress', 'finishTime', 'data'] as const;

/**
 * new-api's task center (`tasks`): one row per generation task of a platform without
 * a table of its own (Suno). Each row is the listing projection of its workflow.
 */
export function createTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const mysql = orm.config.get('driver') === MySqlDriver;
  const rows = generationRows<ITask, 'taskId'>(orm, ledger, {
    entity: Task,
    key: 'taskId',
    inFlight: TASK_IN_FLIGHT,
    ref: taskRef,
    counter: (row) => row.platform,
    now: nowSeconds,
  });

  /** Inserts the task and charges for it atomically; a repeated Idempotency-Key returns the first task. */
  const create = (input: NewTask): Promise<{ task: ITask; created: boolean }> =>
    rows.createCharged(
      {
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
      },
      { amount: input.quota, remark: `${input.platform} ${input.action}` },
    );

  /** The caller's own tasks among `taskIds` (any number), newest first; others' ids are indistinguishable from unknown ones. */
  const findOwned = async (userId: number, taskIds: string[]) =>
    (await findInChunks(taskIds, (chunk) => fork().find(Task, { userId, taskId: { $in: chunk } }))).sort((a, b) => b.id - a.id);

  async function list(filter: TaskFilter, page: PageRequest): Promise<Page<ITask>> {
    const where: FilterQuery<ITask> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.channelId !== undefined) where.channelId = filter.channelId;
    if (filter.platform) where.platform = filter.platform;
    if (filter.taskId) where.taskId = filter.taskId;
    if (filter.status) where.status = filter.status as TaskStatusValue;
    if (filter.action) where.action = filter.action;
    const submitted = rangeOf(filter.startTimestamp, filter.endTimestamp);
    if (submitted) where.submitTime = submitted;
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

  /** Tasks of `platform` at an upstream and not finished, grouped by channel, for its batched poller. */
  const inFlightByChannel = (platform: string, limitPerChannel: number) => rows.inFlightByChannel({ platform }, [...POLLED_FIELDS], limitPerChannel);

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

  return {
    create,
    byTaskId: rows.byKey,
    findOwned,
    list,
    apply: (taskId: string, seq: number, patch: TaskPatch) => rows.apply(taskId, seq, patch),
    inFlightByChannel,
    markPolled: rows.markPolled,
    stranded,
    failAndRefund: rows.failAndRefund,
    abandon: rows.abandon,
  };
}
