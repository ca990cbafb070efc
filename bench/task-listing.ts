/**
 * Task listing benchmark (issue: `/api/task/self` at 1,000,000 rows in MariaDB).
 *
 * One user owns ROWS generation tasks (bulk-loaded with INSERT ... SELECT from
 * MariaDB's Sequence engine, task_counts set as the service keeps them). It measures,
 * at CLIENTS concurrent clients:
 *   1. GET /api/task/self?p=1&page_size=10 through the real Koa app over HTTP
 *      (auth lookup, page query, total from task_counts, JSON rendering);
 *   2. baseline: the same two SQL statements the endpoint runs, sent directly on a
 *      mysql2 pool of CLIENTS connections in this process (no HTTP, auth or ORM);
 *   3. context: new-api's total, `select count(*) from tasks where user_id = ?`, directly;
 *   4. a filtered page through HTTP (`status=SUCCESS`), whose total is a COUNT(*)
 *      over the (user_id, status, id) index, at FILTERED_CLIENTS only: at 1M rows its
 *      page query is slow enough (see the printed plan) that 32 clients would take minutes;
 *   5. that filtered COUNT(*) alone, directly, to separate the total's cost from the page's.
 *
 * Real parts: MariaDB (database taskhub_bench_listing, dropped at the end), the API over
 * HTTP on 127.0.0.1. Temporal is stubbed: the listing route never touches it.
 * Run: npm run bench -- task-listing
 *   (env: BENCH_ROWS=1000000, BENCH_REQUESTS=3000, BENCH_SLOW_REQUESTS=64, BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306)
 */
import http from 'node:http';
import os from 'node:os';
import mysql from 'mysql2/promise';
import { Registry } from 'prom-client';
import { buildApp } from '../api/app';
import type { AppDeps } from '../api/deps';
import { createOrm, prepareSchema, type Orm } from '../db/orm';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createServices, type Services } from '../services';
import { measureConcurrent, median, percentile, printTable } from './support/stats';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const SLOW_REQUESTS = Number(process.env.BENCH_SLOW_REQUESTS ?? 64);
const CLIENTS = 32;
const FILTERED_CLIENTS = 4;
const FILTERED_REQUESTS = 8;
const WARMUP = 200;
const DB_NAME = 'taskhub_bench_listing';
const DB_URL = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '')}/${DB_NAME}`;
/** Per request and per stage limits, so a pathological plan fails the run instead of hanging it. */
const REQUEST_TIMEOUT_MS = 60_000;
const STAGE_BUDGET_MS = 90_000;
const LOAD_TIMEOUT_MS = 240_000;

/** Exactly what services/tasks.ts list() sends for an unfiltered first page (captured from MikroORM's debug log). */
const PAGE_SQL = 'select `t0`.* from `tasks` as `t0` where `t0`.`user_id` = ? order by `t0`.`id` desc limit 10';
const TOTAL_SQL = 'select `t0`.* from `task_counts` as `t0` where `t0`.`user_id` = ?';
/** new-api's way of getting the total. */
const COUNT_SQL = 'select count(*) as `count` from `tasks` where `user_id` = ?';
/** What list() sends for `status=SUCCESS`: this count for the total, beside the page query below. */
const FILTERED_COUNT_SQL = "select count(*) as `count` from `tasks` as `t0` where `t0`.`user_id` = ? and `t0`.`status` = 'SUCCESS'";
// As services/tasks.ts sends it on MySQL: with the index hint that keeps MariaDB off an index-merge plan.
const FILTERED_PAGE_SQL =
  "select `t0`.* from `tasks` as `t0` use index (tasks_user_id_status_id_index) where `t0`.`user_id` = ? and `t0`.`status` = 'SUCCESS' order by `t0`.`id` desc limit 10";

interface Shape {
  requests: number;
  clients: number;
  warmup: number;
}

interface Stage {
  label: string;
  clients: number;
  ms: number[];
  wallMs: number;
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 1000 || ROWS > 10_000_000) throw new Error(`BENCH_ROWS must be an integer in [1000, 10000000], got ${process.env.BENCH_ROWS}`);
  const cleanup: (() => Promise<unknown>)[] = [];
  const started = performance.now();
  try {
    const orm = await freshDatabase();
    cleanup.push(async () => {
      await orm.em.getConnection().execute(`drop database if exists \`${DB_NAME}\``);
      await orm.close(true);
    });
    const pool = mysql.createPool({ uri: DB_URL, connectionLimit: CLIENTS, supportBigNumbers: true });
    cleanup.push(() => pool.end());

    const services = createServices(orm);
    const { userId, accessToken } = await seedUser(services);
    const loadMs = await loadTasks(pool, userId);
    const successTotal = await scalar(pool, "select count(*) from tasks where user_id = ? and status = 'SUCCESS'", [userId]);

    console.log(`Task listing benchmark: ${ROWS.toLocaleString('en-US')} rows in tasks, one user`);
    console.log(`Database: ${await describeDatabase(pool)}; ORM pool ${orm.config.get('pool')?.max} (production default), direct pool ${CLIENTS}`);
    console.log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; client, server and MariaDB share it`);
    console.log(`Load: ${ROWS.toLocaleString('en-US')} rows + task_counts + analyze in ${(loadMs / 1000).toFixed(1)} s`);

    const server = http.createServer(buildApp(appDeps(orm, services)).callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => closeServer(server));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const pagePath = '/api/task/self?p=1&page_size=10';
    const filteredPath = '/api/task/self?p=1&page_size=10&status=SUCCESS';
    await checkListing(base, accessToken, pagePath, ROWS);
    await checkListing(base, accessToken, filteredPath, successTotal);

    const fast = { requests: REQUESTS, clients: CLIENTS, warmup: WARMUP };
    const slow = { requests: SLOW_REQUESTS, clients: CLIENTS, warmup: 2 };
    const stages = [
      await runStage(`GET ${pagePath} (HTTP)`, fast, httpGet(base, accessToken, pagePath)),
      await runStage('same SQL direct: page + task_counts (mysql2)', fast, () => directPage(pool, userId)),
      await runStage("new-api's total: count(*) by user_id (direct)", slow, () => pool.query({ sql: COUNT_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS })),
      // checkListing() already sent one, which warmed it up.
      await runStage(`GET ${filteredPath} (HTTP)`, { requests: FILTERED_REQUESTS, clients: FILTERED_CLIENTS, warmup: 0 }, httpGet(base, accessToken, filteredPath)),
      await runStage("its total alone: count(*) by user_id, status (direct)", slow, () => pool.query({ sql: FILTERED_COUNT_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS })),
    ];

    const directMedian = median(stages[1].ms);
    printTable(
      `/api/task/self at ${ROWS.toLocaleString('en-US')} rows, MariaDB, ${CLIENTS} concurrent clients (filtered HTTP row: ${FILTERED_CLIENTS}), ${os.cpus().length} cores`,
      ['case', 'requests', 'clients', 'median ms', 'p99 ms', 'req/s', 'median / direct'],
      stages.map((s) => [s.label, String(s.ms.length), String(s.clients), median(s.ms), percentile(s.ms, 99), s.ms.length / (s.wallMs / 1000), `${(median(s.ms) / directMedian).toFixed(2)}x`]),
    );
    console.log(`\nDirect SQL (row 2, both statements in parallel per request as list() does):\n  ${PAGE_SQL}\n  ${TOTAL_SQL}`);
    console.log(`Row 2 leaves out the endpoint's access-token lookup (select from users by digest), HTTP, hydration and JSON.`);
    console.log(`Filtered total = ${successTotal.toLocaleString('en-US')} SUCCESS rows of ${ROWS.toLocaleString('en-US')}.`);
    console.log(`Filtered page query plan (EXPLAIN): ${await describePlan(pool, FILTERED_PAGE_SQL, userId)}`);
    console.log(`Filtered total plan (EXPLAIN):      ${await describePlan(pool, FILTERED_COUNT_SQL, userId)}`);
  } finally {
    for (const step of cleanup.reverse()) await step().catch((err) => console.error('cleanup:', err));
    console.log(`Total run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Drops what an aborted run left, then creates and migrates the database. */
async function freshDatabase(): Promise<Orm> {
  const stale = await createOrm({ kind: 'mysql', url: DB_URL });
  await stale.em.getConnection().execute(`drop database if exists \`${DB_NAME}\``);
  await stale.close(true);
  const orm = await createOrm({ kind: 'mysql', url: DB_URL });
  await prepareSchema(orm);
  return orm;
}

/** A plain user with a dashboard access token, made the way an admin would. */
async function seedUser(services: Services): Promise<{ userId: number; accessToken: string }> {
  const rootToken = 'bench-listing-root-token-0123456789';
  await services.users.ensureRoot(rootToken);
  const root = await services.users.authenticate(rootToken);
  const { user, accessToken } = await services.users.create(root, { username: 'bench', password: 'password123' });
  return { userId: user.id, accessToken };
}

/**
 * ROWS Suno tasks for one user in one statement: 85% SUCCESS, 10% FAILURE, 5%
 * IN_PROGRESS; a fifth are LYRICS; two clips of result data (~600 bytes) per task.
 * Then the counters list() reads, as bumpCounts() keeps them (the user's, and 0 for all users).
 */
async function loadTasks(pool: mysql.Pool, userId: number): Promise<number> {
  const t0 = performance.now();
  const clip = (n: 0 | 1) =>
    `json_object('id', concat(g.up, '-${n}'), 'status', lower(g.status), 'title', concat('Night drive #', g.n), ` +
    `'audio_url', concat('https://cdn1.suno.ai/', g.up, '-${n}.mp3'), 'image_url', concat('https://cdn2.suno.ai/image_', g.up, '-${n}.jpeg'), ` +
    `'duration', 90 + g.n % 120, 'model_name', 'chirp-v4', 'tags', 'synthwave, upbeat, female vocals')`;
  await pool.query({
    sql: `insert into tasks (task_id, platform, user_id, token_id, channel_id, quota, action, status, fail_reason,
            submit_time, start_time, finish_time, progress, properties, data, upstream_task_id, seq, created_at, updated_at)
          select concat('task_', lpad(g.n, 32, '0')), 'suno', ?, 1, 1 + g.n % 2, if(g.status = 'FAILURE', 0, 50000),
            if(g.n % 5 = 0, 'LYRICS', 'MUSIC'), g.status, if(g.status = 'FAILURE', 'upstream: content policy violation', ''),
            g.submit, g.submit + 2, if(g.status = 'IN_PROGRESS', 0, g.submit + 95), if(g.status = 'IN_PROGRESS', '60%', '100%'),
            json_object('prompt', concat('a synthwave song about a night drive, take ', g.n), 'mv', 'chirp-v4', 'tags', 'synthwave, upbeat'),
            json_array(${clip(0)}, ${clip(1)}),
            g.up, 3, g.submit, g.submit + 95
          from (select s.seq as n, 1700000000 + s.seq * 30 as submit,
                  lower(concat(lpad(hex(s.seq), 8, '0'), '-b3c4-4d5e-8f60-', lpad(hex(s.seq * 7919 % 16777216), 12, '0'))) as up,
                  case when s.seq % 20 = 0 then 'IN_PROGRESS' when s.seq % 20 < 3 then 'FAILURE' else 'SUCCESS' end as status
                from seq_1_to_${ROWS} s) g`,
    values: [userId],
    timeout: LOAD_TIMEOUT_MS,
  });
  await pool.query("insert into task_counts (user_id, platform, total) values (?, 'suno', ?), (0, 'suno', ?)", [userId, ROWS, ROWS]);
  await pool.query('analyze table tasks');
  const loaded = await scalar(pool, 'select count(*) from tasks where user_id = ?', [userId]);
  if (loaded !== ROWS) throw new Error(`loaded ${loaded} rows, expected ${ROWS}`);
  return performance.now() - t0;
}

function appDeps(orm: Orm, services: Services): AppDeps {
  return {
    config: loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: DB_URL }),
    orm,
    services,
    log: createLogger('silent'),
    metrics: new Registry(),
    // The listing route never reaches Temporal.
    temporal: { client: null as never, check: async () => {} },
    lifecycle: { shuttingDown: false },
  };
}

/** Fails loudly unless the endpoint answers 200 with the expected total and a full page, newest first. */
async function checkListing(base: string, token: string, path: string, total: number): Promise<void> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  const body = JSON.parse(text) as { success?: boolean; data?: { total: number; items: { id: number }[] } };
  const ids = body.data?.items.map((i) => i.id) ?? [];
  const newestFirst = ids.every((id, i) => i === 0 || id < ids[i - 1]);
  if (res.status !== 200 || !body.success || body.data?.total !== total || ids.length !== 10 || !newestFirst) {
    throw new Error(`GET ${path}: expected 200, total ${total}, 10 items newest first; got ${res.status} ${text.slice(0, 300)}`);
  }
}

function httpGet(base: string, token: string, path: string): () => Promise<void> {
  return async () => {
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await res.arrayBuffer(); // read it all, as a client would, and free the keep-alive socket
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${Buffer.from(body).toString('utf8', 0, 300)}`);
  };
}

/** What list() does for an unfiltered page: page query and counter read in parallel, total summed over platforms. */
async function directPage(pool: mysql.Pool, userId: number): Promise<void> {
  const [[items], [counts]] = await Promise.all([
    pool.query<mysql.RowDataPacket[]>({ sql: PAGE_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS }),
    pool.query<mysql.RowDataPacket[]>({ sql: TOTAL_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS }),
  ]);
  const total = counts.reduce((sum, r) => sum + Number(r.total), 0);
  if (items.length !== 10 || total !== ROWS) throw new Error(`direct page: ${items.length} items, total ${total}`);
}

/** A short warm-up, then `requests` calls with `clients` in flight; each part bounded by STAGE_BUDGET_MS. */
async function runStage(label: string, shape: Shape, call: () => Promise<unknown>): Promise<Stage> {
  await measureConcurrent(shape.warmup, Math.min(shape.clients, shape.warmup), withinBudget(`${label} (warm-up)`, call));
  const { ms, wallMs } = await measureConcurrent(shape.requests, shape.clients, withinBudget(label, call));
  console.log(`  measured: ${label}: ${ms.length} requests in ${(wallMs / 1000).toFixed(1)} s`);
  return { label, clients: shape.clients, ms, wallMs };
}

function withinBudget(what: string, call: () => Promise<unknown>): () => Promise<unknown> {
  const deadline = performance.now() + STAGE_BUDGET_MS;
  return () => {
    if (performance.now() > deadline) throw new Error(`${what}: over its ${STAGE_BUDGET_MS / 1000} s budget`);
    return call();
  };
}

async function scalar(pool: mysql.Pool, sql: string, values: unknown[]): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql, values, rowsAsArray: true, timeout: REQUEST_TIMEOUT_MS });
  return Number(rows[0][0]);
}

async function describeDatabase(pool: mysql.Pool): Promise<string> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('select version() as v, @@innodb_buffer_pool_size as bp');
  const mib = Math.round(Number(rows[0].bp) / 2 ** 20);
  return `MariaDB ${String(rows[0].v).split('-')[0]} on 127.0.0.1 (InnoDB buffer pool ${mib} MiB)`;
}

/** The index MariaDB picks and its notes, e.g. `index_merge on a,b (Using intersect(...); Using filesort), ~232141 rows`. */
async function describePlan(pool: mysql.Pool, sql: string, userId: number): Promise<string> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql: `explain ${sql}`, values: [userId], timeout: REQUEST_TIMEOUT_MS });
  return rows.map((r) => `${r.type} on ${r.key} (${r.Extra}), ~${r.rows} rows`).join('; ');
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
