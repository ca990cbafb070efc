/**
 * Listings on SQLite, the embedded database of a single-machine install: does the listing work
 * made for MariaDB at a million rows (counter cells, id blocks, rows and total in one statement)
 * cost anything here? Each case's page is read by today's list() and by the plain reading it
 * replaced (an entity find with limit/offset, and COUNT(*) for a filtered total or the counter
 * cells for an unfiltered one), on the same file, indexes and rows, one after the other in this
 * process. SQLite has one connection, so the reads are sequential; times are per page.
 * Run: npm run bench -- listing-sqlite   (env: BENCH_ROWS=1000000, BENCH_RUNS=40)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FilterQuery } from '@mikro-orm/core';
import { DeviceTask, type IDeviceTask, type ITask, Task } from '../db/entities';
import { createOrm, type Em, prepareSchema, type Orm } from '../db/orm';
import { BACKFILL_BLOCKS_SQL, BACKFILL_COUNTS_SQL } from '../db/queries/backfill-counts';
import { createServices, type Services } from '../services';
import { pageRequest, type PageRequest } from '../services/paging';
import type { TaskFilter } from '../services/tasks';
import type { DeviceTaskFilter } from '../services/device-tasks';
import { rootUser } from './support/app';
import { DEVICE_SERIALS, MJ_BASE_MS, SCRIPTS, serialOf, TASK_BASE_S, taskIdOf } from './support/listing-data';
import { describeMachine, runBench, withCleanup } from './support/run';
import { median, percentile, printTable } from './support/stats';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);

interface Read {
  items: number;
  total: number;
}

interface Case {
  label: string;
  now(): Promise<Read>;
  before(): Promise<Read>;
}

/** The same rows as the MariaDB benchmark's loads (bench/support/listing-data.ts), written with SQLite's functions. */
async function load(orm: Orm, userId: number): Promise<void> {
  const conn = orm.em.getConnection();
  const clip = (n: 0 | 1) =>
    `json_object('id', g.up || '-${n}', 'status', lower(g.status), 'title', 'Night drive #' || g.n, ` +
    `'audio_url', 'https://cdn1.suno.ai/' || g.up || '-${n}.mp3', 'image_url', 'https://cdn2.suno.ai/image_' || g.up || '-${n}.jpeg', ` +
    `'duration', 90 + g.n % 120, 'model_name', 'chirp-v4', 'tags', 'synthwave, upbeat, female vocals')`;
  await conn.execute(
    `insert into tasks (task_id, platform, user_id, token_id, channel_id, quota, action, status, fail_reason,
       submit_time, start_time, finish_time, progress, properties, data, upstream_task_id, seq, created_at, updated_at)
     with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS})
     select 'task_' || printf('%032d', g.n), 'suno', ${userId}, 1, 1 + g.n % 2, iif(g.status = 'FAILURE', 0, 50000),
       iif(g.n % 5 = 0, 'LYRICS', 'MUSIC'), g.status, iif(g.status = 'FAILURE', 'upstream: content policy violation', ''),
       g.submit, g.submit + 2, iif(g.status = 'IN_PROGRESS', 0, g.submit + 95), iif(g.status = 'IN_PROGRESS', '60%', '100%'),
       json_object('prompt', 'a synthwave song about a night drive, take ' || g.n, 'mv', 'chirp-v4', 'tags', 'synthwave, upbeat'),
       json_array(${clip(0)}, ${clip(1)}), g.up, 3, g.submit, g.submit + 95
     from (select n, ${TASK_BASE_S} + n * 30 as submit, printf('%08x-b3c4-4d5e-8f60-%012x', n, n * 7919 % 16777216) as up,
             case when n % 20 = 0 then 'IN_PROGRESS' when n % 20 < 3 then 'FAILURE' else 'SUCCESS' end as status
           from s) g`,
  );
  const scripts = `case g.n % ${SCRIPTS.length} ${SCRIPTS.map((name, i) => `when ${i} then '${name}'`).join(' ')} end`;
  await conn.execute(
    `insert into device_tasks (serial, username, script_name, script_config, status, remark, source, retry_count,
       min_interval_seconds, max_interval_seconds, run_at, started_at, ended_at, workflow_id, dispatched_at, seq, created_at, updated_at)
     with recursive s(n) as (select 1 union all select n + 1 from s where n < ${ROWS})
     select 'emulator-' || (5554 + 2 * (g.n % ${DEVICE_SERIALS})), null, ${scripts},
       json_object('target_users', json_array('user_' || (g.n % 997)), 'like_probability', 30),
       g.status, iif(g.status = 3, 'element not found: follow button', ''), iif(g.n % 10 = 0, 'ui', 'api'), 0, 0, 0, null,
       iif(g.status = 0, null, g.at + 1000), iif(g.status in (2, 3), g.at + 61000, null), 'device-' || g.n, g.at, 3, g.at, g.at + 61000
     from (select n, ${MJ_BASE_MS} + n * 60000 as at,
             case when n % 100 < 3 then 0 when n % 100 < 5 then 1 when n % 100 < 15 then 3 else 2 end as status
           from s) g`,
  );
  // The cells and blocks the services keep, filled as the MySQL migration fills them for old rows.
  for (const sql of [...BACKFILL_COUNTS_SQL, ...BACKFILL_BLOCKS_SQL]) await conn.execute(sql);
  await conn.execute('analyze');
}

/** list() as it read a page before the listing work: hydrated entities at an offset, and the total beside them. */
function plainReading(orm: Orm) {
  const em = () => orm.em.fork() as Em;
  const counterTotal = async (owner: number) =>
    Number((await em().execute<{ n: number }[]>('select coalesce(sum(total), 0) as n from task_counts where user_id = ?', [owner], 'all'))[0]?.n ?? 0);
  const tasks = async (filter: TaskFilter, page: PageRequest): Promise<Read> => {
    const where: FilterQuery<ITask> = {};
    if (filter.userId !== undefined) where.userId = filter.userId;
    if (filter.status) where.status = filter.status as never;
    if (filter.action) where.action = filter.action;
    if (filter.taskId) where.taskId = filter.taskId;
    if (filter.startTimestamp !== undefined) where.submitTime = { $gte: filter.startTimestamp, $lte: filter.endTimestamp };
    const unfiltered = Object.keys(where).every((k) => k === 'userId');
    const [items, total] = await Promise.all([
      em().find(Task, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset }),
      unfiltered ? counterTotal(filter.userId ?? 0) : em().count(Task, where),
    ]);
    return { items: items.length, total };
  };
  const devices = async (filter: DeviceTaskFilter, page: PageRequest): Promise<Read> => {
    const where: FilterQuery<IDeviceTask> = {};
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.serial) where.serial = filter.serial;
    if (filter.scriptName) where.scriptName = filter.scriptName;
    if (filter.source) where.source = filter.source;
    const [items, total] = await em().findAndCount(DeviceTask, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.length, total };
  };
  return { tasks, devices };
}

function cases(services: Services, before: ReturnType<typeof plainReading>, userId: number): Case[] {
  const deep = Math.min(5000, Math.floor(ROWS / 200));
  const dayFrom = TASK_BASE_S + Math.floor(ROWS / 2) * 30;
  const day: TaskFilter = { userId, startTimestamp: dayFrom, endTimestamp: dayFrom + 86_399 };
  /** A case of one listing: its page `p` of `size` rows, read by list() now and by the plain reading. */
  const caseOf =
    <F>(list: (f: F, page: PageRequest) => Promise<{ items: unknown[]; total: number }>, plain: (f: F, page: PageRequest) => Promise<Read>, size: number) =>
    (label: string, filter: F, p: number): Case => ({
      label,
      now: async () => {
        const page = await list(filter, pageRequest(p, size));
        return { items: page.items.length, total: page.total };
      },
      before: () => plain(filter, pageRequest(p, size)),
    });
  const task = caseOf<TaskFilter>(services.tasks.list, before.tasks, 10);
  const device = caseOf<DeviceTaskFilter>(services.deviceTasks.list, before.devices, 20);
  return [
    task('task/self first page', { userId }, 1),
    task(`task/self deep page p=${deep}`, { userId }, deep),
    task('task/self status=FAILURE', { userId, status: 'FAILURE' }, 1),
    task(`task/self status=FAILURE p=${Math.floor(deep / 5)}`, { userId, status: 'FAILURE' }, Math.floor(deep / 5)),
    task('task/self action=LYRICS', { userId, action: 'LYRICS' }, 1),
    task('task/self one day (start/end_timestamp)', day, 1),
    task('task/self task_id=<one>', { userId, taskId: taskIdOf(Math.floor(ROWS / 2)) }, 1),
    task('task/ (admin) status=FAILURE', { status: 'FAILURE' }, 1),
    device('v1/task first page', {}, 1),
    device(`v1/task deep page page=${Math.floor(deep / 2)}`, {}, Math.floor(deep / 2)),
    device('v1/task status=3', { status: 3 }, 1),
    device('v1/task serial=<one of 20>', { serial: serialOf(7) }, 1),
    device('v1/task script_name=follow', { scriptName: 'follow' }, 1),
  ];
}

/** RUNS reads after one warm-up; ms each. */
async function time(read: () => Promise<Read>): Promise<number[]> {
  await read();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await read();
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(ROWS) && ROWS >= 10_000 && ROWS <= 2_000_000)) throw new Error('BENCH_ROWS must be an integer in [10000, 2000000]');
  if (!(Number.isInteger(RUNS) && RUNS >= 5 && RUNS <= 1000)) throw new Error('BENCH_RUNS must be an integer in [5, 1000]');
  await withCleanup(async (cleanup) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-bench-sqlite-'));
    cleanup.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'taskhub.sqlite');
    const orm = await createOrm({ kind: 'sqlite', file });
    cleanup.push(() => orm.close());
    await prepareSchema(orm);
    const services = createServices(orm);
    const root = await rootUser(services, 'bench-sqlite-root-token-0123456789');
    const { user } = await services.users.create(root, { username: 'bench', password: 'password123' });

    const t0 = performance.now();
    await load(orm, user.id);
    const size = fs.statSync(file).size / 2 ** 20;
    console.log(`Listings on SQLite: ${ROWS} Suno tasks of one user and ${ROWS} device tasks on ${DEVICE_SERIALS} phones, ${RUNS} reads per case`);
    console.log(`Machine: ${describeMachine()}; loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s, file ${size.toFixed(0)} MiB`);

    const rows: (string | number)[][] = [];
    for (const c of cases(services, plainReading(orm), user.id)) {
      const [now, before] = [await c.now(), await c.before()];
      // Both readings must agree before either is timed.
      if (now.items !== before.items || now.total !== before.total)
        throw new Error(`${c.label}: list() read ${JSON.stringify(now)}, the plain reading ${JSON.stringify(before)}`);
      const [a, b] = [await time(c.now), await time(c.before)];
      rows.push([c.label, now.total, median(a), percentile(a, 99), median(b), percentile(b, 99), `${(median(b) / median(a)).toFixed(2)}x`]);
    }
    printTable(
      'Page read times on SQLite (ms): list() now, and the plain reading it replaced',
      ['case', 'total', 'now p50', 'now p99', 'before p50', 'before p99', 'before / now'],
      rows,
    );
  });
}

runBench(main);
