import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import { randomInt } from 'node:crypto';
import type { Em, Orm } from '../../db/orm';
import { MJ_IN_FLIGHT, MjTask, type IMjTask } from '../../db/entities';
import type { Ledger } from '../ledger';
import { nowSeconds } from '../ledger';
import { pageOf, type Page, type PageRequest } from '../paging';
import { bumpCount, MJ_COUNTER, readCount } from '../task-counts';

export interface NewMjTask {
  userId: number;
  tokenId: number | null;
  action: string;
  parentMjId: string | null;
  /** Child actions run on their parent's channel; 0 lets the workflow choose. */
  channelId: number;
  prompt: string;
  request: { route: string; body: Record<string, unknown> };
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
/** A drawing-log row: everything but the JSON the log never shows. */
export type MjListed = Omit<IMjTask, 'request' | 'buttons' | 'properties'>;

export const mjTaskRef = (mjId: string) => `midjourney:${mjId}`;
/** Shaped like midjourney-proxy's ids (a millisecond clock and a few digits), so clients that assume digits keep working. */
export const newMjId = () => `${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
const FINAL_SEQ = 2_000_000_000;

export function createMjTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const mysql = orm.config.get('driver') === MySqlDriver;

  /** Inserts the task and holds its price atomically; a repeated Idempotency-Key returns the first task. */
  async function create(input: NewMjTask): Promise<{ task: IMjTask; created: boolean }> {
    if (input.idempotencyKey) {
      const existing = await fork().findOne(MjTask, { userId: input.userId, idempotencyKey: input.idempotencyKey });
      if (existing) return { task: existing, created: false };
    }
    try {
      const task = await fork().transactional(async (tx) => {
        const em = tx as Em;
        const now = nowSeconds();
        const task = em.create(MjTask, {
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
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        await ledger.chargeIn(em, {
          userId: input.userId,
          tokenId: input.tokenId,
          amount: input.quota,
          taskRef: mjTaskRef(task.mjId),
          remark: `midjourney ${input.action}`,
        });
        await bumpCount(em, input.userId, MJ_COUNTER);
        return task;
      });
      return { task, created: true };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && input.idempotencyKey) {
        const winner = await fork().findOne(MjTask, { userId: input.userId, idempotencyKey: input.idempotencyKey });
        if (winner) return { task: winner, created: false };
      }
      throw err;
    }
  }

  const byMjId = (mjId: string) => fork().findOne(MjTask, { mjId });

  /** The caller's own tasks among `mjIds`, in the order asked; others' ids look like unknown ones. */
  async function findOwned(userId: number, mjIds: string[]): Promise<IMjTask[]> {
    if (mjIds.length === 0) return [];
    const rows = await fork().find(MjTask, { userId, mjId: { $in: mjIds } });
    const byId = new Map(rows.map((r) => [r.mjId, r]));
    return [...new Set(mjIds)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  async function list(filter: MjFilter, page: PageRequest): Promise<Page<MjListed>> {
    const where: FilterQuery<IMjTask> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.channelId !== undefined) where.channelId = filter.channelId;
    if (filter.mjId) where.mjId = filter.mjId;
    if (filter.startTimestamp !== undefined || filter.endTimestamp !== undefined) {
      where.submitTime = {
        ...(filter.startTimestamp !== undefined ? { $gte: filter.startTimestamp } : {}),
        ...(filter.endTimestamp !== undefined ? { $lte: filter.endTimestamp } : {}),
      };
    }
    const em = fork();
    const onlyOwner = filter.channelId === undefined && !filter.mjId && filter.startTimestamp === undefined && filter.endTimestamp === undefined;
    const [items, total] = await Promise.all([
      // The drawing log never shows the request, buttons or properties: leave their JSON in the table.
      em.find(MjTask, where, {
        orderBy: { id: 'desc' },
        limit: page.pageSize,
        offset: page.offset,
        exclude: ['request', 'buttons', 'properties'],
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

  /** Applies a workflow's write if it is newer than the last one applied. */
  async function apply(mjId: string, seq: number, patch: MjPatch): Promise<boolean> {
    const changed = await fork().nativeUpdate(MjTask, { mjId, seq: { $lt: seq } }, { ...patch, seq, updatedAt: nowSeconds() });
    return changed === 1;
  }

  /** In-flight tasks already at an upstream, grouped by channel, for batched polling. */
  async function inFlightByChannel(limitPerChannel: number): Promise<Map<number, IMjTask[]>> {
    const rows = await fork().find(
      MjTask,
      { status: { $in: [...MJ_IN_FLIGHT] }, channelId: { $gt: 0 }, upstreamTaskId: { $ne: null } },
      {
        orderBy: { id: 'asc' },
        fields: ['id', 'mjId', 'channelId', 'upstreamTaskId', 'status', 'progress', 'imageUrl', 'buttons', 'failReason', 'videoUrl', 'promptEn'],
      },
    );
    const groups = new Map<number, IMjTask[]>();
    for (const row of rows) {
      const group = groups.get(row.channelId) ?? [];
      if (group.length < limitPerChannel) group.push(row as IMjTask);
      groups.set(row.channelId, group);
    }
    return groups;
  }

  async function markPolled(ids: number[]): Promise<void> {
    if (ids.length) await fork().nativeUpdate(MjTask, { id: { $in: ids } }, { polledAt: nowSeconds() });
  }

  /** Tasks never handed to an upstream after `olderThanSeconds`: their workflow may not exist. */
  const stranded = (olderThanSeconds: number, limit: number) =>
    fork().find(
      MjTask,
      { status: 'NOT_START', upstreamTaskId: null, code: 0, createdAt: { $lt: nowSeconds() - olderThanSeconds } },
      { limit, orderBy: { id: 'asc' } },
    );

  /** Gives up on a task whose workflow could not be started: failed and refunded, written as final. */
  async function abandon(mjId: string, reason: string): Promise<void> {
    await ledger.refund(mjTaskRef(mjId), reason.slice(0, 255));
    await apply(mjId, FINAL_SEQ, { status: 'FAILURE', progress: '100%', failReason: reason, finishTime: Date.now(), quota: 0 });
  }

  return { create, byMjId, findOwned, list, apply, inFlightByChannel, markPolled, stranded, abandon };
}
