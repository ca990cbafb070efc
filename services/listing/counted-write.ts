import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { Em } from '../../db/orm';
import { adjustCounts, type CounterTable } from './counts';
import { retryOnDeadlock } from './deadlock';
import { writeTransaction } from '../../db/write-transaction';

/** A counter table and the entity properties its cells are made of (owner included). */
export type Counted<E> = CounterTable<E> & { properties: (keyof E & string)[] };

/**
 * Updates the rows matching `where` and moves them between counter cells, in one transaction.
 * It first writes the rows (taking their locks; on SQLite, the write lock) with `touch`, then
 * reads the counted columns, which nothing else can change any more, then writes `values` and
 * moves each row's count from its old cell to its new one. Rows that no longer match `where`
 * (a `seq` guard, a status guard) are neither written nor counted, so a replayed or late write
 * moves nothing. Returns how many rows were written.
 */
export function updateCounted<E extends { id: number }>(
  em: Em,
  spec: { entity: EntityName<E>; where: FilterQuery<E>; values: Partial<E>; touch: Partial<E>; counts: Counted<E> },
): Promise<number> {
  return retryOnDeadlock(() =>
    writeTransaction(em.fork() as Em, async (t) => {
      await t.nativeUpdate(spec.entity, spec.where, spec.touch as never);
      const before = (await t.find(spec.entity, spec.where, { fields: ['id', ...spec.counts.properties] as never, disableIdentityMap: true })) as E[];
      if (before.length === 0) return 0;
      await t.nativeUpdate(spec.entity, { id: { $in: before.map((r) => r.id) } } as unknown as FilterQuery<E>, spec.values as never);
      const changed = spec.counts.properties.filter((p) => spec.values[p] !== undefined);
      await adjustCounts(
        t,
        spec.counts,
        before.flatMap((row) => {
          const after = { ...row, ...Object.fromEntries(changed.map((p) => [p, spec.values[p]])) } as E;
          return [
            { row: row, delta: -1 },
            { row: after, delta: 1 },
          ];
        }),
      );
      return before.length;
    }),
  );
}

/** Deletes the rows with these ids and takes them out of their cells, in one transaction. */
export function deleteCounted<E extends { id: number }>(
  em: Em,
  spec: { entity: EntityName<E>; ids: number[]; touch: Partial<E>; counts: Counted<E> },
): Promise<number[]> {
  return retryOnDeadlock(() =>
    writeTransaction(em.fork() as Em, async (t) => {
      const where = { id: { $in: spec.ids } } as unknown as FilterQuery<E>;
      // As above: lock the rows with a write first, then read what they are counted under.
      await t.nativeUpdate(spec.entity, where, spec.touch as never);
      const rows = (await t.find(spec.entity, where, { fields: ['id', ...spec.counts.properties] as never, disableIdentityMap: true })) as E[];
      if (rows.length === 0) return [];
      await t.nativeDelete(spec.entity, { id: { $in: rows.map((r) => r.id) } } as unknown as FilterQuery<E>);
      await adjustCounts(
        t,
        spec.counts,
        rows.map((row) => ({ row: row, delta: -1 })),
      );
      return rows.map((r) => r.id);
    }),
  );
}
