import { raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em } from '../../db/orm';
import { TaskCount } from '../../db/entities';

/**
 * Row counters kept in the insert's transaction, so an unfiltered page's total
 * is a primary-key read rather than a COUNT(*) over millions of rows. Keys are
 * the `tasks` platforms (`suno`, …) and `MJ_COUNTER` for the `midjourneys` table;
 * `userId` 0 holds the count across all users.
 */
export const MJ_COUNTER = 'midjourney';

export async function bumpCount(em: Em, userId: number, key: string): Promise<void> {
  for (const uid of [userId, 0]) {
    const updated = await em
      .createQueryBuilder(TaskCount)
      .update({ total: raw('total + 1') })
      .where({ userId: uid, platform: key })
      .execute('run');
    if (updated.affectedRows === 0) {
      // First row for this counter; a concurrent first insert loses on the primary key and retries the update.
      try {
        await em.insert(TaskCount, { userId: uid, platform: key, total: 1 });
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
        await em
          .createQueryBuilder(TaskCount)
          .update({ total: raw('total + 1') })
          .where({ userId: uid, platform: key })
          .execute('run');
      }
    }
  }
}

/** Sum of the counters of `userId` (0 = everyone) over `keys`, or over every key except `MJ_COUNTER`. */
export async function readCount(em: Em, userId: number, keys?: string[]): Promise<number> {
  const rows = await em.find(TaskCount, { userId, platform: keys ? { $in: keys } : { $ne: MJ_COUNTER } });
  return rows.reduce((sum, r) => sum + r.total, 0);
}
