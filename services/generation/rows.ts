import { UniqueConstraintViolationException, type EntityName, type EntityProperty, type FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../../db/orm';
import { FINAL_SEQ, nowSeconds } from '../../domain';
import type { Ledger } from '../ledger';
import { adjustCounts } from '../listing/counts';
import { updateCounted, type Counted } from '../listing/counted-write';
import { retryOnDeadlock } from '../listing/deadlock';
import { writeTransaction } from '../../db/write-transaction';

/** The columns every generation table (`tasks`, `midjourneys`) shares with its workflow and poller. */
export interface GenerationRow {
  id: number;
  userId: number;
  tokenId?: number | null;
  channelId: number;
  status: string;
  progress: string;
  failReason: string;
  finishTime: number;
  quota: number;
  upstreamTaskId?: string | null;
  idempotencyKey?: string | null;
  polledAt: number;
  seq: number;
}

/** What differs between two generation tables; the behaviour below is the same for both. */
export interface GenerationTable<E extends GenerationRow, K extends keyof E & string> {
  entity: EntityName<E>;
  /** The column holding the public id clients know the task by (`task_id`, `mj_id`). */
  key: K;
  inFlight: readonly string[];
  /** Ledger reference of a task: what its one charge and one refund are keyed on. */
  ref(row: E): string;
  /** The counter cells rows are counted in; `facets` name the entity properties they depend on. */
  counts: Counted<E>;
  /** The table's clock: seconds (new-api's `tasks`) or milliseconds (`midjourneys`). */
  now(): number;
}

export interface Charge {
  amount: number;
  remark: string;
}

export type GenerationRows<E extends GenerationRow, K extends keyof E & string> = ReturnType<typeof generationRows<E, K>>;

/**
 * Charged creation, ordered writes, grouping by channel for the poller and giving up
 * on a task: what every generation platform does alike, over its own table.
 */
export function generationRows<E extends GenerationRow, K extends keyof E & string>(orm: Orm, ledger: Ledger, table: GenerationTable<E, K>) {
  const fork = () => orm.em.fork() as Em;
  const byPublicId = (id: string) => ({ [table.key]: id }) as FilterQuery<E>;
  const byIdempotencyKey = (userId: number, key: string) => ({ userId, idempotencyKey: key }) as FilterQuery<E>;

  /**
   * Inserts the task and charges for it atomically: either the caller has a task it paid
   * for, or nothing happened. A repeated Idempotency-Key returns the first task
   * (`created: false`) and charges nothing; two racing submits with one key make one task.
   */
  async function createCharged(fields: Partial<E> & Pick<E, 'userId' | 'tokenId' | 'quota'>, charge: Charge): Promise<{ task: E; created: boolean }> {
    const idempotencyKey = fields.idempotencyKey ?? null;
    if (idempotencyKey) {
      const existing = await fork().findOne(table.entity, byIdempotencyKey(fields.userId, idempotencyKey));
      if (existing) return { task: existing as E, created: false };
    }
    try {
      const task = await retryOnDeadlock(() =>
        writeTransaction(fork(), async (em) => {
          const now = nowSeconds();
          const row = em.create(table.entity, { ...fields, idempotencyKey, createdAt: now, updatedAt: now } as never) as E;
          await em.flush();
          await ledger.chargeIn(em, { userId: row.userId, tokenId: row.tokenId, amount: charge.amount, taskRef: table.ref(row), remark: charge.remark });
          await adjustCounts(em, table.counts, [{ row: row, delta: 1 }]);
          return row;
        }),
      );
      return { task, created: true };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && idempotencyKey) {
        const winner = await fork().findOne(table.entity, byIdempotencyKey(fields.userId, idempotencyKey));
        if (winner) return { task: winner as E, created: false };
      }
      throw err;
    }
  }

  const byKey = async (publicId: string) => (await fork().findOne(table.entity, byPublicId(publicId))) as E | null;

  /**
   * Applies a workflow's write if it is newer than the last one applied; returns whether it was.
   * A write that may move the row between counter cells (status, channel…) runs in one
   * transaction with the counters: it first writes the row (taking its lock, a write lock on
   * SQLite), then reads the counted columns, which nothing else can change any more, and moves
   * the count only if this write is the one that changed them. A replayed or late write fails
   * the `seq` guard and moves nothing.
   */
  async function apply(publicId: string, seq: number, patch: Partial<E>): Promise<boolean> {
    const where = { [table.key]: publicId, seq: { $lt: seq } } as unknown as FilterQuery<E>;
    const values = { ...patch, seq, updatedAt: nowSeconds() } as never;
    if (!table.counts.properties.some((p) => p in patch)) return (await fork().nativeUpdate(table.entity, where, values)) === 1;
    const written = await updateCounted(fork(), { entity: table.entity, where, values, touch: { updatedAt: nowSeconds() } as never, counts: table.counts });
    return written === 1;
  }

  /**
   * In-flight tasks already at an upstream, grouped by channel, for batched polling.
   * `fields` are the columns the poller compares with what the upstream reports.
   */
  async function inFlightByChannel(scope: FilterQuery<E>, fields: (keyof E & string)[], limitPerChannel: number): Promise<Map<number, E[]>> {
    const where = {
      ...(scope as object),
      status: { $in: [...table.inFlight] },
      upstreamTaskId: { $ne: null },
      channelId: { $gt: 0 },
    } as unknown as FilterQuery<E>;
    // Plain rows, not entities: every round reads every in-flight task, and at 10,000 of them
    // hydrating entities into an identity map took 290 ms of the worker's main thread against
    // 20 ms for the statement itself (`npm run bench -- poll-round`).
    const columns = ['id', table.key, 'channelId', 'upstreamTaskId', 'status', ...fields];
    const rows = await fork()
      .createQueryBuilder(table.entity)
      .select(columns as never)
      .where(where as never)
      .orderBy({ id: 'asc' } as never)
      .execute<E[]>('all');
    // What hydration would have done for these columns: JSON text (SQLite, MariaDB) to values.
    const properties = orm.getMetadata().get(table.entity).properties as Record<string, EntityProperty>;
    const platform = orm.em.getPlatform();
    const typed = columns.filter((c) => properties[c]?.customType);
    for (const row of rows as Record<string, unknown>[]) for (const c of typed) row[c] = properties[c].customType!.convertToJSValue(row[c], platform);
    const groups = new Map<number, E[]>();
    for (const row of rows) {
      const group = groups.get(row.channelId) ?? [];
      if (group.length < limitPerChannel) group.push(row);
      groups.set(row.channelId, group);
    }
    return groups;
  }

  /** Stamps the tasks an upstream just reported, so their workflows know the batched poller is alive for them. */
  async function markPolled(ids: number[]): Promise<void> {
    if (ids.length) await fork().nativeUpdate(table.entity, { id: { $in: ids } } as unknown as FilterQuery<E>, { polledAt: nowSeconds() } as never);
  }

  /**
   * Marks the task failed with its reason and refunds its charge (to the user and the
   * key); both steps are idempotent, so a retried activity does neither twice.
   */
  async function failAndRefund(publicId: string, seq: number, reason: string, extra: Partial<E> = {}): Promise<{ refunded: boolean }> {
    const task = await byKey(publicId);
    if (!task) return { refunded: false };
    const refund = await ledger.refund(table.ref(task), reason.slice(0, 255));
    await apply(publicId, seq, {
      status: 'FAILURE',
      progress: '100%',
      failReason: reason,
      finishTime: task.finishTime || table.now(),
      quota: 0,
      ...extra,
    } as Partial<E>);
    return { refunded: refund.applied || refund.entry !== null };
  }

  /** Gives up on a task whose workflow could not be started: failed and refunded, written as final. */
  async function abandon(publicId: string, reason: string): Promise<void> {
    await failAndRefund(publicId, FINAL_SEQ, reason);
  }

  return { createCharged, byKey, apply, inFlightByChannel, markPolled, failAndRefund, abandon };
}
