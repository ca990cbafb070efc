import type { EntityName, FilterQuery } from '@mikro-orm/core';
import { DeviceTask, MjTask, Task, type IDeviceTask, type IMjTask, type ITask } from '../../db/entities';
import type { Em, Orm } from '../../db/orm';
import type { Logger } from '../../lib/logger';

export type Change = { kind: 'task'; row: ITask } | { kind: 'mj'; row: IMjTask } | { kind: 'device_task'; row: IDeviceTask };

export interface Subscription {
  unsubscribe(): void;
  /**
   * Settles once the feed knows where the tables stand: every change after that reaches the
   * listener. Changes before it do not, so a client should (re)load its lists only then.
   */
  primed: Promise<void>;
}

export interface ChangeFeed {
  /** The listener gets each round's changes; the feed reads the database only while someone listens. */
  subscribe(listener: (changes: Change[]) => void): Subscription;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  pollMs: number;
  log: Logger;
  /** Rows read per query; a round keeps reading pages until one comes back short (at most `maxPages`). */
  pageSize?: number;
  maxPages?: number;
}

interface Row {
  id: number;
  updatedAt: number;
  seq: number;
  status: unknown;
}

interface Source {
  kind: Change['kind'];
  entity: EntityName<Row>;
  /**
   * How far back each round reads again, in the table's own unit. Workers on other hosts stamp
   * `updated_at` with their own clocks, and a statement may commit a moment after it took its
   * time, so a row can appear with a time just below what was already read. Rereading this
   * window (and skipping rows whose state was already sent) tolerates that much clock drift.
   */
  slack: number;
}

// tasks and midjourneys keep seconds, device_tasks milliseconds (their listings' own units).
const SOURCES: Source[] = [
  { kind: 'task', entity: Task as unknown as EntityName<Row>, slack: 5 },
  { kind: 'mj', entity: MjTask as unknown as EntityName<Row>, slack: 5 },
  { kind: 'device_task', entity: DeviceTask as unknown as EntityName<Row>, slack: 5000 },
];

/** What a client would see change: another write that leaves these alone is not news. */
const signature = (r: Row & { progress?: string; quota?: number; remark?: string }) =>
  `${r.updatedAt}|${r.seq}|${String(r.status)}|${r.progress}|${r.quota}|${r.remark}`;

/**
 * One loop per API process that finds changed task rows in the database, for every event
 * stream of that process. The workers that change tasks are other processes (often other
 * hosts), so the database is the only place the API can learn of a change. Each round reads,
 * per table, the rows whose `updated_at` is at or after the last one seen minus a slack
 * window (the `updated_at` indexes make this a range scan), and passes on those whose state
 * differs from what was last passed on. Delivery is "at least once, latest state": a client
 * replaces its copy of a row with the event's.
 */
export function createChangeFeed(orm: Orm, options: ChangeFeedOptions): ChangeFeed {
  const pageSize = options.pageSize ?? 500;
  const maxPages = options.maxPages ?? 20;
  const listeners = new Set<(changes: Change[]) => void>();
  const cursors = new Map<Change['kind'], number>();
  const seen = new Map<Change['kind'], Map<number, { sig: string; at: number }>>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let primed = false;
  let closed = false;
  let markPrimed: () => void = () => undefined;
  let primedPromise: Promise<void> | undefined;

  /** Where a table stands now: its newest `updated_at` (one read down the index). */
  async function newestOf(em: Em, source: Source): Promise<number> {
    const [row] = await em.find(source.entity, {}, { orderBy: { updatedAt: 'desc' }, limit: 1, fields: ['updatedAt'], disableIdentityMap: true });
    return row?.updatedAt ?? 0;
  }

  async function scan(em: Em, source: Source, emit: boolean): Promise<Change[]> {
    if (!emit) cursors.set(source.kind, await newestOf(em, source));
    const cursor = cursors.get(source.kind) ?? 0;
    const known = seen.get(source.kind) ?? new Map<number, { sig: string; at: number }>();
    seen.set(source.kind, known);
    const changes: Change[] = [];
    let where: FilterQuery<Row> = { updatedAt: { $gte: Math.max(0, cursor - source.slack) } };
    let newest = cursor;
    for (let page = 0; page < maxPages; page++) {
      const rows: Row[] = await em.find(source.entity, where, { orderBy: { updatedAt: 'asc', id: 'asc' }, limit: pageSize, disableIdentityMap: true });
      for (const row of rows) {
        const sig = signature(row);
        newest = Math.max(newest, row.updatedAt);
        if (known.get(row.id)?.sig === sig) continue;
        known.set(row.id, { sig, at: row.updatedAt });
        if (emit) changes.push({ kind: source.kind, row } as unknown as Change);
      }
      if (rows.length < pageSize) break;
      const last: Row = rows[rows.length - 1]!;
      // Keyset continuation: the same instant with higher ids, then later instants.
      where = { $or: [{ updatedAt: { $gt: last.updatedAt } }, { updatedAt: last.updatedAt, id: { $gt: last.id } }] };
      if (page === maxPages - 1)
        options.log.warn({ event: 'events.feed_truncated', kind: source.kind }, 'more changed rows than one round reads; the rest follow next round');
    }
    cursors.set(source.kind, newest);
    // Rows older than the window are never read again, so their memory can go.
    for (const [id, entry] of known) if (entry.at < newest - source.slack) known.delete(id);
    return changes;
  }

  async function round(): Promise<void> {
    const em = orm.em.fork() as Em;
    // The first round only learns where the tables stand: streams report changes from their start on.
    const emit = primed;
    const changes: Change[] = [];
    for (const source of SOURCES) changes.push(...(await scan(em, source, emit)));
    if (listeners.size === 0) return stop();
    primed = true;
    markPrimed();
    if (changes.length) for (const listener of [...listeners]) listener(changes);
  }

  function schedule(delay: number): void {
    if (closed || listeners.size === 0 || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = round()
        .catch((err: unknown) => options.log.error({ event: 'events.feed_failed', err }, 'change feed round failed'))
        .finally(() => {
          running = undefined;
          schedule(options.pollMs);
        });
    }, delay);
  }

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // A later start reads the tables' state afresh rather than replaying what happened while nobody listened.
    primed = false;
    primedPromise = undefined;
    cursors.clear();
    seen.clear();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      primedPromise ??= primed ? Promise.resolve() : new Promise<void>((resolve) => (markPrimed = resolve));
      if (!running) schedule(0);
      return {
        primed: primedPromise,
        unsubscribe() {
          listeners.delete(listener);
          if (listeners.size === 0) stop();
        },
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      stop();
      await running;
    },
  };
}
