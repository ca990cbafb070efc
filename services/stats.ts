import type { Em, Orm } from '../db/orm';

export interface HourlyCount {
  /** Start of the hour, unix seconds. */
  hour: number;
  status: string;
  count: number;
}

export interface DailySpend {
  /** Start of the day in the caller's offset, as unix seconds. */
  day: number;
  charged: number;
  refunded: number;
  /** charged − refunded: what the day really cost. */
  spent: number;
}

const HOUR = 3600;
const DAY_MS = 86_400_000;

/**
 * Aggregates for the dashboard's charts, computed in SQL over the listing tables and the
 * ledger. Integer arithmetic (`x - x % n`) buckets the times the same way on MySQL and SQLite.
 */
export function createStats(orm: Orm) {
  const run = <T>(sql: string, params: unknown[]) => (orm.em.fork() as Em).getConnection().execute<T[]>(sql, params);

  return {
    /** Generation tasks (Suno and Midjourney) submitted per hour since `sinceSeconds`, by status. */
    async tasksPerHour(filter: { userId?: number; sinceSeconds: number }): Promise<HourlyCount[]> {
      const byUser = filter.userId !== undefined ? ' and user_id = ?' : '';
      const params = (since: number) => (filter.userId !== undefined ? [since, filter.userId] : [since]);
      const suno = await run<{ hour: number; status: string; n: number }>(
        `select submit_time - submit_time % ${HOUR} as hour, status, count(*) as n from tasks where submit_time >= ?${byUser} group by hour, status`,
        params(filter.sinceSeconds),
      );
      // midjourneys keeps milliseconds, as midjourney-proxy reports them.
      const mj = await run<{ hour: number; status: string; n: number }>(
        `select submit_time - submit_time % ${HOUR * 1000} as hour, status, count(*) as n from midjourneys where submit_time >= ?${byUser} group by hour, status`,
        params(filter.sinceSeconds * 1000),
      );
      const merged = new Map<string, HourlyCount>();
      for (const [rows, unit] of [
        [suno, 1],
        [mj, 1000],
      ] as const) {
        for (const r of rows) {
          const hour = Number(r.hour) / unit;
          const key = `${hour}|${r.status}`;
          const entry = merged.get(key) ?? { hour, status: r.status, count: 0 };
          entry.count += Number(r.n);
          merged.set(key, entry);
        }
      }
      return [...merged.values()].sort((a, b) => a.hour - b.hour || a.status.localeCompare(b.status));
    },

    /** Quota charged and refunded per day since `sinceMs`; days start at midnight `offsetMinutes` east of UTC. */
    async quotaPerDay(filter: { userId?: number; sinceMs: number; offsetMinutes: number }): Promise<DailySpend[]> {
      const offset = filter.offsetMinutes * 60_000;
      const byUser = filter.userId !== undefined ? ' and user_id = ?' : '';
      const rows = await run<{ day: number; kind: string; total: number }>(
        `select (created_at + ${offset}) - (created_at + ${offset}) % ${DAY_MS} as day, kind, sum(amount) as total from quota_entries` +
          ` where created_at >= ? and kind in ('charge', 'refund')${byUser} group by day, kind`,
        filter.userId !== undefined ? [filter.sinceMs, filter.userId] : [filter.sinceMs],
      );
      const days = new Map<number, DailySpend>();
      for (const r of rows) {
        const day = (Number(r.day) - offset) / 1000;
        const entry = days.get(day) ?? { day, charged: 0, refunded: 0, spent: 0 };
        // Charges are stored negative, refunds positive.
        if (r.kind === 'charge') entry.charged += -Number(r.total);
        else entry.refunded += Number(r.total);
        entry.spent = entry.charged - entry.refunded;
        days.set(day, entry);
      }
      return [...days.values()].sort((a, b) => a.day - b.day);
    },
  };
}

export type Stats = ReturnType<typeof createStats>;
