import type { Em, Orm } from '../db/orm';
import { Task, type ITask } from '../db/entities';
import { generationRef, nowSeconds, TASK_IN_FLIGHT } from '../domain';
import { randomString } from '../lib/credentials';
import { generationRows } from './generation/rows';
import { findInChunks } from './in-chunks';
import type { Ledger } from './ledger';
import type { CounterTable } from './listing/counts';
import { planPage, readPage, type ListingFilter, type ListingTable } from './listing/page';
import { rowMapper } from './listing/rows';
import { pageOf, type Page, type PageRequest } from './paging';

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

/** The cells `task_counts` keeps: per owner (and 0 for everyone), per platform, action, status and channel. */
export const TASK_COUNTS: CounterTable<ITask> & { properties: (keyof ITask & string)[] } = {
  table: 'task_counts',
  owner: { column: 'user_id', of: (r) => r.userId },
  facets: { platform: (r) => r.platform, action: (r) => r.action, status: (r) => r.status, channel_id: (r) => r.channelId },
  properties: ['userId', 'platform', 'action', 'status', 'channelId'],
  blocks: {
    listing: 'tasks',
    owner: (r) => r.userId,
    facets: { status: (r) => r.status, action: (r) => r.action, platform: (r) => r.platform, channel_id: (r) => r.channelId },
  },
};

/** The walks of services/listing/page.ts over `tasks`; each is an index of db/entities/task.ts. */
const TASK_WALKS = [
  ['user_id', 'id'],
  ['user_id', 'status', 'id'],
  ['user_id', 'action', 'id'],
  ['user_id', 'platform', 'id'],
  ['channel_id', 'id'],
  ['status', 'id'],
  ['action', 'id'],
  ['platform', 'id'],
];

/**
 * new-api's task center (`tasks`): one row per generation task of a platform without
 * a table of its own (Suno). Each row is the listing projection of its workflow.
 */
export function createTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const rows = generationRows<ITask, 'taskId'>(orm, ledger, {
    entity: Task,
    key: 'taskId',
    inFlight: TASK_IN_FLIGHT,
    ref: taskRef,
    counts: TASK_COUNTS,
    now: nowSeconds,
  });
  const mapper = rowMapper<ITask>(orm, Task);
  const listing: ListingTable<ITask> = {
    table: 'tasks',
    ...mapper,
    walks: TASK_WALKS,
    ranges: [['user_id', 'submit_time'], ['submit_time']],
    unique: ['task_id'],
    counts: { table: TASK_COUNTS.table, owner: 'user_id', counted: Object.keys(TASK_COUNTS.facets) },
    blocks: { owner: 'user_id', facets: Object.keys(TASK_COUNTS.blocks!.facets) },
  };

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

  /** A page newest first; totals of platform, action, status and channel filters come from `task_counts`. */
  function listingFilter(filter: TaskFilter): ListingFilter {
    const equals: ListingFilter['equals'] = {};
    if (filter.userId !== undefined) equals.user_id = filter.userId;
    if (filter.channelId !== undefined) equals.channel_id = filter.channelId;
    if (filter.platform) equals.platform = filter.platform;
    if (filter.taskId) equals.task_id = filter.taskId;
    if (filter.status) equals.status = filter.status;
    if (filter.action) equals.action = filter.action;
    const range =
      filter.startTimestamp !== undefined || filter.endTimestamp !== undefined
        ? { column: 'submit_time', gte: filter.startTimestamp, lte: filter.endTimestamp }
        : undefined;
    return { equals, range };
  }

  async function list(filter: TaskFilter, page: PageRequest): Promise<Page<ITask>> {
    const { items, total } = await readPage(fork(), listing, listingFilter(filter), page.offset, page.pageSize);
    return pageOf(items, total, page);
  }

  /** The SQL list() sends for this page (benchmarks compare the endpoint with it). */
  const listSql = (filter: TaskFilter, page: PageRequest) => planPage(fork(), listing, listingFilter(filter), page.offset, page.pageSize);

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
    listSql,
    apply: (taskId: string, seq: number, patch: TaskPatch) => rows.apply(taskId, seq, patch),
    inFlightByChannel,
    markPolled: rows.markPolled,
    stranded,
    failAndRefund: rows.failAndRefund,
    abandon: rows.abandon,
  };
}
