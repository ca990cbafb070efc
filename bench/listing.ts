/**
 * Listing benchmark: every listing at 1,000,000 rows in MariaDB, the API in a process of its own,
 * loaded by wrk in another.
 *
 * One user owns ROWS Suno tasks and ROWS Midjourney tasks; there are ROWS device tasks on 20
 * phones (bench/support/listing-data.ts). The API runs as a separate Node process (the real app,
 * services and MikroORM pool; Temporal stubbed, the listings never reach it). For every case wrk
 * (-t2 -c32, SECONDS s, from Debian: installed if missing) measures req/s, p50 and p99; then this
 * process sends the case's own SQL (what list() sends for that page: one statement with the rows and
 * their total, after a block lookup for deep pages)
 * straight to a mysql2 pool of 32 connections, 32 at a time, for SQL_SECONDS s. Each case is
 * compared, in the same run, with `GET /api/user/self` (authentication and framework, no listing),
 * with its raw SQL, and (deep and filtered cases) with its listing's first page.
 *
 * Before measuring, every case is checked once: 200, the total that COUNT(*) gives, a full page
 * newest first, and for deep pages the same ids as a plain `limit … offset …` over the rows.
 *
 * Real parts: MariaDB (database taskhub_bench_listing, dropped at the end unless BENCH_KEEP_DB=1,
 * which also reuses a loaded one), the API over HTTP on 127.0.0.1, wrk. Everything started ends
 * with the run (API process, wrk); nothing listens afterwards.
 * Run: npm run bench -- listing
 *   (env: BENCH_ROWS=1000000, BENCH_SECONDS=10, BENCH_SQL_SECONDS=5, BENCH_CASES=<substring filter>,
 *    BENCH_CPU_PROF=<dir> to profile the API process, BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306)
 */
import os from 'node:os';
import mysql from 'mysql2/promise';
import { createOrm, prepareSchema } from '../db/orm';
import { createServices, type Services } from '../services';
import { COUNT_HORIZON, type Located, type PagePlan } from '../services/listing/page';
import { seedUser } from './support/app';
import { buildCases, type Case, type Who } from './support/listing-cases';
import { startApiProcess } from './support/api-process';
import { fillCounts, loadDeviceTasks, loadMjTasks, loadTasks } from './support/listing-data';
import { describeDatabase, scalar } from './support/mysql';
import { describeMachine, runBench, withCleanup } from './support/run';
import { measureConcurrent, percentile, printTable } from './support/stats';
import { ensureWrk, runWrk, type WrkResult } from './support/wrk';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SQL_SECONDS = Number(process.env.BENCH_SQL_SECONDS ?? 5);
const ONLY = process.env.BENCH_CASES ?? '';
const KEEP = process.env.BENCH_KEEP_DB === '1';
const CONNECTIONS = 32;
const DB_NAME = 'taskhub_bench_listing';
const DB_URL = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '')}/${DB_NAME}`;
const LOAD_TIMEOUT_MS = 900_000;
const QUERY_TIMEOUT_MS = 120_000;
const ROOT_TOKEN = 'bench-listing-root-token-0123456789';

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 100_000 || ROWS > 10_000_000)
    throw new Error(`BENCH_ROWS must be an integer in [100000, 10000000], got ${process.env.BENCH_ROWS}`);
  if (!(SECONDS >= 1 && SECONDS <= 120 && SQL_SECONDS >= 1 && SQL_SECONDS <= 120)) throw new Error('BENCH_SECONDS and BENCH_SQL_SECONDS must be in [1, 120]');
  ensureWrk();
  await withCleanup(async (cleanup) => {
    const server = mysql.createPool({ uri: DB_URL.slice(0, DB_URL.lastIndexOf('/')), connectionLimit: 1, supportBigNumbers: true });
    cleanup.push(() => server.end());
    const loaded = KEEP && (await alreadyLoaded(server));
    if (!loaded) await server.query(`drop database if exists ${DB_NAME}`);
    if (!KEEP) cleanup.push(() => server.query(`drop database if exists ${DB_NAME}`));
    const orm = await createOrm({ kind: 'mysql', url: DB_URL });
    cleanup.push(() => orm.close(true));
    await prepareSchema(orm);
    const pool = mysql.createPool({ uri: DB_URL, connectionLimit: CONNECTIONS, supportBigNumbers: true });
    cleanup.push(() => pool.end());
    const services = createServices(orm);

    const t0 = performance.now();
    let userId: number;
    let accessToken: string;
    if (loaded) {
      ({ userId, accessToken } = await reuseUser(services, pool));
    } else {
      ({ userId, accessToken } = await seedUser(services, ROOT_TOKEN));
      await pool.query({ sql: `set session max_statement_time = 0`, timeout: LOAD_TIMEOUT_MS });
      await loadTasks(pool, userId, ROWS, LOAD_TIMEOUT_MS);
      await loadMjTasks(pool, userId, ROWS, LOAD_TIMEOUT_MS);
      await loadDeviceTasks(pool, ROWS, LOAD_TIMEOUT_MS);
      await fillCounts(pool, LOAD_TIMEOUT_MS);
      await pool.query('create table if not exists bench_user (access_token varchar(64) not null)');
      await pool.query('insert into bench_user values (?)', [accessToken]);
    }
    console.log(`Listing benchmark: ${ROWS.toLocaleString('en-US')} rows each in tasks, midjourneys and device_tasks`);
    console.log(`Database: ${await describeDatabase(pool)}; API pool ${orm.config.get('pool')?.max} (production default); SQL baseline pool ${CONNECTIONS}`);
    console.log(`Machine: ${describeMachine()}; wrk, the API process, this process and MariaDB share it`);
    console.log(`Data: ${loaded ? 'reused (BENCH_KEEP_DB=1)' : `loaded with counters and analyze in ${((performance.now() - t0) / 1000).toFixed(0)} s`}`);

    const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const api = await startApiProcess({ DATABASE_URL: DB_URL, LOG_LEVEL: 'silent', PORT: '0' }, profile);
    cleanup.push(api.stop);
    const tokens: Record<Who, Record<string, string>> = {
      user: { authorization: `Bearer ${accessToken}` },
      root: { authorization: `Bearer ${ROOT_TOKEN}` },
      local: {},
    };

    const cases = buildCases({ services, pool, userId, rows: ROWS, timeoutMs: QUERY_TIMEOUT_MS }).filter(
      (c) => !ONLY || c.label.includes(ONLY) || c.listing.includes(ONLY),
    );
    for (const c of cases) await check(api.base, tokens[c.who], c);
    console.log(`Checked ${cases.length} cases: status, total, page length, order, deep pages against plain offset SQL.`);

    const floor = await runWrk(`${api.base}/api/user/self`, { connections: CONNECTIONS, threads: 2, seconds: SECONDS, headers: tokens.user });
    const results: { c: Case; http: WrkResult; sql: SqlResult; load: string }[] = [];
    for (const c of cases) {
      const http = await runWrk(api.base + c.path, { connections: CONNECTIONS, threads: 2, seconds: SECONDS, headers: tokens[c.who] });
      const sql = await rawSql(pool, c.sql());
      results.push({ c, http, sql, load: os.loadavg()[0].toFixed(1) });
      console.log(`  measured: ${c.label}: ${http.rps.toFixed(0)} req/s over HTTP, ${sql.rps.toFixed(0)}/s raw SQL (load ${os.loadavg()[0].toFixed(1)})`);
    }

    const firstOf = new Map<string, number>();
    for (const r of results) if (!firstOf.has(r.c.listing)) firstOf.set(r.c.listing, r.http.rps);
    printTable(
      `Listings at ${ROWS.toLocaleString('en-US')} rows, MariaDB, wrk -t2 -c${CONNECTIONS} -d${SECONDS}s, ${os.cpus().length} cores; GET /api/user/self: ${floor.rps.toFixed(0)} req/s, p50 ${floor.p50Ms.toFixed(1)} ms, p99 ${floor.p99Ms.toFixed(1)} ms`,
      ['case', 'req/s', 'p50 ms', 'p99 ms', '/ user/self', '/ raw SQL', '/ first page', 'raw SQL/s', 'load'],
      [
        ['GET /api/user/self (floor)', floor.rps, floor.p50Ms, floor.p99Ms, '1.00x', '', '', '', ''],
        ...results.map((r) => [
          r.c.label,
          r.http.rps,
          r.http.p50Ms,
          r.http.p99Ms,
          ratio(r.http.rps, floor.rps),
          ratio(r.http.rps, r.sql.rps),
          ratio(r.http.rps, firstOf.get(r.c.listing)!),
          r.sql.rps,
          r.load,
        ]),
      ],
    );
    console.log(
      `\nRaw SQL: the case's own statements (block lookup for deep pages, then the rows with their total) on a mysql2 pool of ${CONNECTIONS}, ${CONNECTIONS} in flight, ${SQL_SECONDS} s.`,
    );
    console.log(`Totals outside the counters (time ranges, ids) are exact up to ${COUNT_HORIZON.toLocaleString('en-US')} rows past the page.`);
    console.log(
      `Load average (1 min) at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
  });
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** One GET, checked: 200, the expected total, a full page newest first, and the ids of a plain offset when given. */
async function check(base: string, headers: Record<string, string>, c: Case): Promise<void> {
  const res = await fetch(base + c.path, { headers, signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: { total: number; items?: { id: number }[]; tasks?: { id: number }[] } };
  const items = body.data?.items ?? body.data?.tasks ?? [];
  const ids = items.map((i) => i.id);
  const total = await c.expect.total();
  const newestFirst = ids.every((id, i) => i === 0 || id < ids[i - 1]);
  const sameIds = c.expect.ids ? JSON.stringify(await c.expect.ids()) === JSON.stringify(ids) : true;
  if (res.status !== 200 || body.data?.total !== total || ids.length !== c.expect.items || !newestFirst || !sameIds) {
    throw new Error(
      `${c.label}: GET ${c.path}: expected 200, total ${total}, ${c.expect.items} items newest first${c.expect.ids ? ' matching plain offset' : ''}; got ${res.status} ${text.slice(0, 400)}`,
    );
  }
}

interface SqlResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/** The case's statements per request as list() sends them (a block lookup for deep pages, then the rows with their total), CONNECTIONS at a time, for SQL_SECONDS. */
async function rawSql(pool: mysql.Pool, plan: PagePlan): Promise<SqlResult> {
  const query = async <R>(s: { sql: string; params: unknown[] }) =>
    (await pool.query<mysql.RowDataPacket[]>({ sql: s.sql, values: s.params, timeout: QUERY_TIMEOUT_MS }))[0] as R[];
  const run = async () => {
    const located = plan.locate ? ((await query<Located>(plan.locate))[0] ?? null) : undefined;
    const rows = await query(plan.page(located));
    if (rows.length === 0) await query(plan.total);
  };
  await measureConcurrent(CONNECTIONS * 4, CONNECTIONS, run);
  const { ms, wallMs } = await measureConcurrent(Number.MAX_SAFE_INTEGER, CONNECTIONS, run, SQL_SECONDS * 1000);
  return { rps: ms.length / (wallMs / 1000), p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}

async function alreadyLoaded(pool: mysql.Pool): Promise<boolean> {
  try {
    const n = await scalar(pool, `select count(*) from ${DB_NAME}.bench_user`, [], QUERY_TIMEOUT_MS);
    return n === 1 && (await scalar(pool, `select count(*) from ${DB_NAME}.device_tasks`, [], QUERY_TIMEOUT_MS)) === ROWS;
  } catch {
    return false;
  }
}

/** The user of a kept database: its access token is in bench_user. */
async function reuseUser(services: Services, pool: mysql.Pool): Promise<{ userId: number; accessToken: string }> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(`select access_token from ${DB_NAME}.bench_user`);
  const accessToken = String(rows[0].access_token);
  return { userId: (await services.users.authenticate(accessToken)).id, accessToken };
}

runBench(main);
