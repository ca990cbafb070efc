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
import os from 'node:os';
import type mysql from 'mysql2/promise';
import { loadConfig } from '../lib/config';
import { createServices } from '../services';
import { seedUser, serveApp } from './support/app';
import { checkListing, directPage, httpGet, printListing, type Api } from './support/listing';
import { describeDatabase, describePlan, freshDatabase, scalar } from './support/mysql';
import { describeMachine, runBench, withCleanup } from './support/run';
import { runStage } from './support/stages';

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

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 1000 || ROWS > 10_000_000)
    throw new Error(`BENCH_ROWS must be an integer in [1000, 10000000], got ${process.env.BENCH_ROWS}`);
  await withCleanup(async (cleanup) => {
    const { orm, pool } = await freshDatabase(DB_URL, DB_NAME, CLIENTS, cleanup);

    const services = createServices(orm);
    const { userId, accessToken } = await seedUser(services, 'bench-listing-root-token-0123456789');
    const loadMs = await loadTasks(pool, userId);
    const successTotal = await scalar(pool, "select count(*) from tasks where user_id = ? and status = 'SUCCESS'", [userId], REQUEST_TIMEOUT_MS);

    console.log(`Task listing benchmark: ${ROWS.toLocaleString('en-US')} rows in tasks, one user`);
    console.log(`Database: ${await describeDatabase(pool)}; ORM pool ${orm.config.get('pool')?.max} (production default), direct pool ${CLIENTS}`);
    console.log(`Machine: ${describeMachine()}; client, server and MariaDB share it`);
    console.log(`Load: ${ROWS.toLocaleString('en-US')} rows + task_counts + analyze in ${(loadMs / 1000).toFixed(1)} s`);

    const app = await serveApp(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: DB_URL }), orm, services);
    cleanup.push(app.close);
    const api: Api = { base: app.base, token: accessToken, timeoutMs: REQUEST_TIMEOUT_MS };

    const pagePath = '/api/task/self?p=1&page_size=10';
    const filteredPath = '/api/task/self?p=1&page_size=10&status=SUCCESS';
    await checkListing(api, pagePath, { total: ROWS, items: 10 });
    await checkListing(api, filteredPath, { total: successTotal, items: 10 });

    const direct = { page: PAGE_SQL, total: TOTAL_SQL };
    const fast = { requests: REQUESTS, clients: CLIENTS, warmup: WARMUP, budgetMs: STAGE_BUDGET_MS };
    const slow = { requests: SLOW_REQUESTS, clients: CLIENTS, warmup: 2, budgetMs: STAGE_BUDGET_MS };
    const stages = [
      await runStage(`GET ${pagePath} (HTTP)`, fast, httpGet(api, pagePath)),
      await runStage('same SQL direct: page + task_counts (mysql2)', fast, () => directPage(pool, direct, userId, ROWS, REQUEST_TIMEOUT_MS)),
      await runStage("new-api's total: count(*) by user_id (direct)", slow, () =>
        pool.query({ sql: COUNT_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS }),
      ),
      // checkListing() already sent one, which warmed it up.
      await runStage(
        `GET ${filteredPath} (HTTP)`,
        { requests: FILTERED_REQUESTS, clients: FILTERED_CLIENTS, warmup: 0, budgetMs: STAGE_BUDGET_MS },
        httpGet(api, filteredPath),
      ),
      await runStage('its total alone: count(*) by user_id, status (direct)', slow, () =>
        pool.query({ sql: FILTERED_COUNT_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS }),
      ),
    ];

    printListing(
      `/api/task/self at ${ROWS.toLocaleString('en-US')} rows, MariaDB, ${CLIENTS} concurrent clients (filtered HTTP row: ${FILTERED_CLIENTS}), ${os.cpus().length} cores`,
      stages,
      direct,
    );
    console.log(`Filtered total = ${successTotal.toLocaleString('en-US')} SUCCESS rows of ${ROWS.toLocaleString('en-US')}.`);
    console.log(`Filtered page query plan (EXPLAIN): ${await describePlan(pool, FILTERED_PAGE_SQL, [userId], REQUEST_TIMEOUT_MS)}`);
    console.log(`Filtered total plan (EXPLAIN):      ${await describePlan(pool, FILTERED_COUNT_SQL, [userId], REQUEST_TIMEOUT_MS)}`);
  });
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
  const loaded = await scalar(pool, 'select count(*) from tasks where user_id = ?', [userId], REQUEST_TIMEOUT_MS);
  if (loaded !== ROWS) throw new Error(`loaded ${loaded} rows, expected ${ROWS}`);
  return performance.now() - t0;
}

runBench(main);
