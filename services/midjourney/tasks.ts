import type { FilterQuery } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { randomInt } from 'node:crypto';
import type { Em, Orm } from '../../db/orm';
import { MjTask, type IMjTask } from '../../db/entities';
import { generationRef, MJ_IN_FLIGHT, nowSeconds } from '../../domain';
import { generationRows } from '../generation/rows';
import { findInChunks } from '../in-chunks';
import { MJ_COUNTER, readCount } from '../generation/task-counts';
import type { Ledger } from '../ledger';
import { pageOf, rangeOf, type Page, type PageRequest } from '../paging';

export interface NewMjTask {
  userId: number;
  tokenId: number | null;
  action: string;
  parentMjId: string | null;
  /** Child actions run on their parent's channel; 0 lets the workflow choose. */
  channelId: number;
  prompt: string;
  request: { route: string; body: Record<string, unknown>; notify?: { url: string; keyDigest: string } };
  /** Quota held now, in the insert's transaction; given back if the upstream refuses the task. */
  quota: number;
  idempotencyKey?: string;
}

export interface MjFilter {
  userId?: number;
  channelId?: number;
  mjId?: string;
  /** Milliseconds, on submit_time, inclusive. */
  startTimestamp?: number;
  endTimestamp?: number;
}

export type MjPatch = Partial<
  Pick<
    IMjTask,
    | 'upstreamTaskId'
    | 'code'
    | 'channelId'
    | 'prompt'
    | 'promptEn'
    | 'description'
    | 'state'
    | 'submitTime'
    | 'startTime'
    | 'finishTime'
    | 'imageUrl'
    | 'videoUrl'
    | 'videoUrls'
    | 'status'
    | 'progress'
    | 'failReason'
    | 'quota'
    | 'buttons'
    | 'properties'
  >
>;

export type MjTasks = ReturnType<typeof createMjTasks>;
/** A drawing-log row: everything but the upstream request, which the log never shows. */
export type MjListed = Omit<IMjTask, 'request'>;

export const mjTaskRef = (mjId: string) => generationRef('midjourney', mjId);
/** Shaped like midjourney-proxy's ids (a millisecond clock and a few digits), so clients that assume digits keep working. */
export const newMjId = () => `${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;

/** What the Midjourney poller compares with the upstream's report. */
const POLLED_FIELDS = ['progress', 'imageUrl', 'buttons', 'failReason', 'videoUrl', 'promptEn'] as const;

/** new-api's drawing log (`midjourneys`): one row per Midjourney task, the listing projection of its workflow. */
export function createMjTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const mysql = orm.config.get('driver') === MySqlDriver;
  const rows = generationRows<IMjTask, 'mjId'>(orm, ledger, {
    entity: MjTask,
    key: 'mjId',
    inFlight: MJ_IN_FLIGHT,
    ref: (row) => mjTaskRef(row.mjId),
    counter: () => MJ_COUNTER,
    now: Date.now,
  });

  /** Inserts the task and holds its price atomically; a repeated Idempotency-Key returns the first task. */
  const create = (input: NewMjTask): Promise<{ task: IMjTask; created: boolean }> =>
    rows.createCharged(
      {
        mjId: newMjId(),
        userId: input.userId,
        tokenId: input.tokenId,
        channelId: input.channelId,
        action: input.action,
        parentMjId: input.parentMjId,
        prompt: input.prompt,
        status: 'NOT_START',
        quota: input.quota,
        request: input.request,
        submitTime: Date.now(),
        idempotencyKey: input.idempotencyKey ?? null,
      },
      { amount: input.quota, remark: `midjourney ${input.action}` },
    );

  /** The caller's own tasks among `mjIds` (any number), in the order asked; others' ids look like unknown ones. */
  async function findOwned(userId: number, mjIds: string[]): Promise<IMjTask[]> {
    const found = await findInChunks(mjIds, (chunk) => fork().find(MjTask, { userId, mjId: { $in: chunk } }));
    const byId = new Map(found.map((r) => [r.mjId, r]));
    return [...new Set(mjIds)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  async function list(filter: MjFilter, page: PageRequest): Promise<Page<MjListed>> {
    const where: FilterQuery<IMjTask> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.channelId !== undefined) where.channelId = filter.channelId;
    if (filter.mjId) where.mjId = filter.mjId;
    const submitted = rangeOf(filter.startTimestamp, filter.endTimestamp);
    if (submitted) where.submitTime = submitted;
    const em = fork();
    const onlyOwner = filter.channelId === undefined && !filter.mjId && filter.startTimestamp === undefined && filter.endTimestamp === undefined;
    const [items, total] = await Promise.all([
      // The drawing log never shows the request (it may carry base64 images): leave it in the table.
      em.find(MjTask, where, {
        orderBy: { id: 'desc' },
        limit: page.pageSize,
        offset: page.offset,
        exclude: ['request'],
        indexHint: pageIndexHint(filter),
      }),
      onlyOwner ? readCount(em, filter.userId ?? 0, [MJ_COUNTER]) : fork().count(MjTask, where),
    ]);
    return pageOf(items as MjListed[], total, page);
  }

  /**
   * A time-range page on MySQL: MariaDB walks the primary key backwards from the
   * newest row, expecting matches spread evenly; they sit together, so a day a
   * year back passes ~900,000 rows first (25 s at a million rows in
   * bench/mj-listing). The (user_id, submit_time) index finds the window at once.
   */
  function pageIndexHint(filter: MjFilter): string | undefined {
    if (!mysql || filter.mjId || (filter.startTimestamp === undefined && filter.endTimestamp === undefined)) return undefined;
    return filter.userId !== undefined ? 'use index (midjourneys_user_id_submit_time_index)' : 'use index (midjourneys_submit_time_index)';
  }

  /** Tasks never handed to an upstream after `olderThanSeconds`: their workflow may not exist. */
  const stranded = (olderThanSeconds: number, limit: number) =>
    fork().find(
      MjTask,
      { status: 'NOT_START', upstreamTaskId: null, code: 0, createdAt: { $lt: nowSeconds() - olderThanSeconds } },
      { limit, orderBy: { id: 'asc' } },
    );

  return {
    create,
    byMjId: rows.byKey,
    findOwned,
    list,
    apply: (mjId: string, seq: number, patch: MjPatch) => rows.apply(mjId, seq, patch),
    inFlightByChannel: (limitPerChannel: number) => rows.inFlightByChannel({}, [...POLLED_FIELDS], limitPerChannel),
    markPolled: rows.markPolled,
    stranded,
    failAndRefund: rows.failAndRefund,
    abandon: rows.abandon,
  };
}
