/**
 * Midjourney drawing-log benchmark: `/api/mj/self` at 1,000,000 rows in MariaDB.
 *
 * One user owns ROWS Midjourney tasks in `midjourneys` (bulk-loaded with INSERT ... SELECT
 * from MariaDB's Sequence engine, the 'midjourney' task_counts rows set as the service keeps
 * them). It measures, at CLIENTS concurrent clients:
 *   1. GET /api/mj/self?p=1&page_size=10 through the real Koa app over HTTP
 *      (auth lookup, page query, total from task_counts, JSON rendering);
 *   2. baseline: the same two SQL statements the endpoint runs, sent directly on a
 *      mysql2 pool of CLIENTS connections in this process (no HTTP, auth or ORM);
 *   3. context: new-api's total, `select count(*) from midjourneys where user_id = ?`, directly;
 * and at FILTERED_CLIENTS only, over HTTP, the two filters the drawing log offers, whose
 * total is a COUNT(*) sent beside the page query (plans printed):
 *   4. `mj_id=<one task's id>` (a task from the middle of the history);
 *   5. `start_timestamp`/`end_timestamp` (ms) over the newest day (2,880 rows);
 *   6. the same over one day a month after the first row (~11 months back at 1M rows), which
 *      list() sends with `use index (midjourneys_user_id_submit_time_index)` on MySQL;
 *   7. that page query without the hint, directly (FILTERED_SLOW_REQUESTS only): MariaDB then
 *      walks the primary key backwards from the newest row for `order by id desc limit 10` and
 *      passes every newer row first. This run is what found the need for the hint.
 *
 * Real parts: MariaDB (database taskhub_bench_mj_listing, dropped at the end), the API over
 * HTTP on 127.0.0.1. Temporal is stubbed: the listing route never touches it.
 * Run: npm run bench -- mj-listing
 *   (env: BENCH_ROWS=1000000, BENCH_REQUESTS=3000, BENCH_SLOW_REQUESTS=64, BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306)
 */
import os from 'node:os';
import type mysql from 'mysql2/promise';
import { loadConfig } from '../lib/config';
import { createServices } from '../services';
import { MJ_COUNTER } from '../services/generation/task-counts';
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
const FILTERED_REQUESTS = 400;
const FILTERED_SLOW_REQUESTS = 8;
const WARMUP = 200;
const DB_NAME = 'taskhub_bench_mj_listing';
const DB_URL = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '')}/${DB_NAME}`;
/** Per request and per stage limits, so a pathological plan fails the run instead of hanging it. */
const REQUEST_TIMEOUT_MS = 120_000;
const STAGE_BUDGET_MS = 90_000;
const LOAD_TIMEOUT_MS = 420_000;

/**
 * Row n (1-based) was submitted at BASE_MS + n * 30 s + a few seconds of jitter (strictly
 * increasing: ~347 days for 1M rows), and its mj_id is that millisecond clock plus six digits,
 * the shape newMjId() gives (19 digits). The same formulas drive the SQL load below.
 */
const BASE_MS = 1_700_000_000_000;
const STEP_MS = 30_000;
const submitTimeOf = (n: number) => BASE_MS + n * STEP_MS + ((n * 7919) % 10_000);
const mjIdOf = (n: number) => `${submitTimeOf(n)}${String((n * 7919) % 1_000_000).padStart(6, '0')}`;
const DAY_ROWS = (24 * 3600 * 1000) / STEP_MS;

/** Exactly what services/midjourney/tasks.ts list() sends for an unfiltered first page (captured from MikroORM's debug log). */
/** The columns list() selects: every one but the JSON the drawing log never shows (request, buttons, properties). */
const PAGE_COLUMNS =
  '`m0`.`id`, `m0`.`mj_id`, `m0`.`upstream_task_id`, `m0`.`code`, `m0`.`user_id`, `m0`.`token_id`, `m0`.`channel_id`, `m0`.`action`, `m0`.`parent_mj_id`, `m0`.`prompt`, `m0`.`prompt_en`, `m0`.`description`, `m0`.`state`, `m0`.`submit_time`, `m0`.`start_time`, `m0`.`finish_time`, `m0`.`image_url`, `m0`.`video_url`, `m0`.`video_urls`, `m0`.`status`, `m0`.`progress`, `m0`.`fail_reason`, `m0`.`quota`, `m0`.`idempotency_key`, `m0`.`polled_at`, `m0`.`seq`, `m0`.`created_at`, `m0`.`updated_at`';
const PAGE_SQL = `select ${PAGE_COLUMNS} from \`midjourneys\` as \`m0\` where \`m0\`.\`user_id\` = ? order by \`m0\`.\`id\` desc limit 10`;
const TOTAL_SQL = `select \`t0\`.* from \`task_counts\` as \`t0\` where \`t0\`.\`user_id\` = ? and \`t0\`.\`platform\` in ('${MJ_COUNTER}')`;
/** new-api's way of getting the total. */
const COUNT_SQL = 'select count(*) as `count` from `midjourneys` where `user_id` = ?';
/**
 * What list() sends with a filter: the page query and a COUNT(*) with the same where clause
 * (MikroORM inlines bigint values as strings). Time ranges carry list()'s index hint; `unhinted`
 * is the same page without it, as list() sent it before this benchmark found the slow plan.
 */
const filteredSql = (where: string, hint = '') => ({
  page: `select ${PAGE_COLUMNS} from \`midjourneys\` as \`m0\` ${hint}where \`m0\`.\`user_id\` = ? and ${where} order by \`m0\`.\`id\` desc limit 10`,
  count: `select count(*) as \`count\` from \`midjourneys\` as \`m0\` where \`m0\`.\`user_id\` = ? and ${where}`,
  unhinted: `select ${PAGE_COLUMNS} from \`midjourneys\` as \`m0\` where \`m0\`.\`user_id\` = ? and ${where} order by \`m0\`.\`id\` desc limit 10`,
});
/** Rows first .. first + DAY_ROWS - 1 exactly, as ms bounds (submit times are >= 20 s apart). */
const dayFrom = (first: number) => {
  const [from, to] = [submitTimeOf(first) - 1, submitTimeOf(first + DAY_ROWS - 1) + 1];
  return {
    from,
    to,
    sql: filteredSql(`\`m0\`.\`submit_time\` >= '${from}' and \`m0\`.\`submit_time\` <= '${to}'`, 'use index (midjourneys_user_id_submit_time_index) '),
  };
};

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 100_000 || ROWS > 10_000_000)
    throw new Error(`BENCH_ROWS must be an integer in [100000, 10000000], got ${process.env.BENCH_ROWS}`);
  await withCleanup(async (cleanup) => {
    const { orm, pool } = await freshDatabase(DB_URL, DB_NAME, CLIENTS, cleanup);

    const services = createServices(orm);
    const { userId, accessToken } = await seedUser(services, 'bench-mj-listing-root-token-0123456789');
    const loadMs = await loadMjTasks(pool, userId);

    console.log(`Midjourney listing benchmark: ${ROWS.toLocaleString('en-US')} rows in midjourneys, one user`);
    console.log(`Database: ${await describeDatabase(pool)}; ORM pool ${orm.config.get('pool')?.max} (production default), direct pool ${CLIENTS}`);
    console.log(`Machine: ${describeMachine()}; client, server and MariaDB share it`);
    console.log(`Load: ${ROWS.toLocaleString('en-US')} rows + task_counts + analyze in ${(loadMs / 1000).toFixed(1)} s; ${await describeTable(pool)}`);

    const app = await serveApp(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: DB_URL }), orm, services);
    cleanup.push(app.close);
    const api: Api = { base: app.base, token: accessToken, timeoutMs: REQUEST_TIMEOUT_MS };

    // One task from the middle of the history; the newest day; one day a month after the first row.
    const mjId = mjIdOf(Math.floor(ROWS / 2));
    const byId = filteredSql(`\`m0\`.\`mj_id\` = '${mjId}'`);
    const recent = dayFrom(ROWS - DAY_ROWS + 1);
    const old = dayFrom(30 * DAY_ROWS);

    const pagePath = '/api/mj/self?p=1&page_size=10';
    const idPath = `${pagePath}&mj_id=${mjId}`;
    const timePath = (d: { from: number; to: number }) => `${pagePath}&start_timestamp=${d.from}&end_timestamp=${d.to}`;
    const valid = (i: Record<string, unknown>) => /^\d{19}$/.test(String(i.mj_id)) && typeof i.status === 'string';
    await checkListing(api, pagePath, { total: ROWS, items: 10, valid });
    await checkListing(api, idPath, { total: 1, items: 1, valid });
    await checkListing(api, timePath(recent), { total: DAY_ROWS, items: 10, valid });
    await checkListing(api, timePath(old), { total: DAY_ROWS, items: 10, valid });

    const direct = { page: PAGE_SQL, total: TOTAL_SQL };
    const fast = { requests: REQUESTS, clients: CLIENTS, warmup: WARMUP, budgetMs: STAGE_BUDGET_MS };
    const slow = { requests: SLOW_REQUESTS, clients: CLIENTS, warmup: 2, budgetMs: STAGE_BUDGET_MS };
    const filtered = { requests: FILTERED_REQUESTS, clients: FILTERED_CLIENTS, warmup: 20, budgetMs: STAGE_BUDGET_MS };
    const unhinted = { requests: FILTERED_SLOW_REQUESTS, clients: FILTERED_CLIENTS, warmup: 0, budgetMs: STAGE_BUDGET_MS };
    const stages = [
      await runStage(`GET ${pagePath} (HTTP)`, fast, httpGet(api, pagePath)),
      await runStage('same SQL direct: page + task_counts (mysql2)', fast, () => directPage(pool, direct, userId, ROWS, REQUEST_TIMEOUT_MS)),
      await runStage("new-api's total: count(*) by user_id (direct)", slow, () =>
        pool.query({ sql: COUNT_SQL, values: [userId], timeout: REQUEST_TIMEOUT_MS }),
      ),
      await runStage('GET ...&mj_id=<one id> (HTTP)', filtered, httpGet(api, idPath)),
      await runStage('GET ...&start/end_timestamp: newest day (HTTP)', filtered, httpGet(api, timePath(recent))),
      await runStage(`GET ...&start/end_timestamp: day 31 of ${Math.round(ROWS / DAY_ROWS)} (HTTP)`, filtered, httpGet(api, timePath(old))),
      await runStage('  that page query without the index hint (direct)', unhinted, () => directRows(pool, old.sql.unhinted, userId, 10)),
    ];

    printListing(
      `/api/mj/self at ${ROWS.toLocaleString('en-US')} rows, MariaDB, ${CLIENTS} concurrent clients (filtered rows: ${FILTERED_CLIENTS}), ${os.cpus().length} cores`,
      stages,
      direct,
    );
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const plan = (sql: string) => describePlan(pool, sql, [userId], REQUEST_TIMEOUT_MS);
    console.log(
      `Filters: mj_id=${mjId} (row ${Math.floor(ROWS / 2).toLocaleString('en-US')}); newest day ${iso(recent.from)} .. ${iso(recent.to)}; day 31 ${iso(old.from)} .. ${iso(old.to)}; ${DAY_ROWS.toLocaleString('en-US')} rows a day.`,
    );
    console.log(`Plans (EXPLAIN of the SQL list() sends; each filtered total is a COUNT(*) with the page's where clause):`);
    console.log(`  mj_id page:        ${await plan(byId.page)}`);
    console.log(`  mj_id total:       ${await plan(byId.count)}`);
    console.log(`  newest day page:   ${await plan(recent.sql.page)}`);
    console.log(`  day 31 page:       ${await plan(old.sql.page)}`);
    console.log(`  time totals:       ${await plan(old.sql.count)}`);
    const newer = await scalar(pool, 'select count(*) from midjourneys where user_id = ? and submit_time > ?', [userId, old.to], REQUEST_TIMEOUT_MS);
    console.log(`  unhinted day 31:   ${await plan(old.sql.unhinted)}`);
    console.log(
      `                     (MariaDB's estimate assumes matches spread evenly; they are contiguous, so its backward walk on PRIMARY passes ${newer.toLocaleString('en-US')} newer rows first)`,
    );
  });
}

/** midjourney-proxy's button sets (as the simulator and the real proxy report them), for a grid and an upscaled image. */
function buttonsSql(layout: 'grid' | 'single'): string {
  const b = (customId: string, label: string, emoji = '') =>
    `json_object('customId', concat('${customId.replace('#', "', g.hash, '")}'), 'emoji', '${emoji}', 'label', '${label}', 'type', 2, 'style', 2)`;
  const list =
    layout === 'grid'
      ? [
          ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::upsample::${i}::#`, `U${i}`)),
          b('MJ::JOB::reroll::0::#::SOLO', '', '🔄'),
          ...[1, 2, 3, 4].map((i) => b(`MJ::JOB::variation::${i}::#`, `V${i}`)),
        ]
      : [
          b('MJ::JOB::upsample_v6_2x_subtle::1::#::SOLO', 'Upscale (Subtle)'),
          b('MJ::JOB::upsample_v6_2x_creative::1::#::SOLO', 'Upscale (Creative)'),
          b('MJ::JOB::low_variation::1::#::SOLO', 'Vary (Subtle)', '🪄'),
          b('MJ::JOB::high_variation::1::#::SOLO', 'Vary (Strong)', '🪄'),
          b('MJ::Inpaint::1::#::SOLO', 'Vary (Region)', '🖌️'),
          b('MJ::Outpaint::50::1::#::SOLO', 'Zoom Out 2x', '🔍'),
          b('MJ::Outpaint::75::1::#::SOLO', 'Zoom Out 1.5x', '🔍'),
          b('MJ::CustomZoom::#', 'Custom Zoom', '🔍'),
          b('MJ::JOB::pan_left::1::#::SOLO', '', '⬅️'),
          b('MJ::JOB::pan_right::1::#::SOLO', '', '➡️'),
          b('MJ::JOB::pan_up::1::#::SOLO', '', '⬆️'),
          b('MJ::JOB::pan_down::1::#::SOLO', '', '⬇️'),
        ];
  return `json_array(${list.join(', ')})`;
}

/**
 * ROWS Midjourney tasks for one user in one statement. Actions: 60% IMAGINE, 25% UPSCALE,
 * 10% VARIATION (children of the previous row), 5% DESCRIBE; status 92% SUCCESS, 6% FAILURE,
 * 2% IN_PROGRESS. Finished images carry midjourney-proxy's buttons (9 for a grid, 12 for an
 * upscale, ~1-2 KB of JSON), `properties` and `request` as the relay stores them; video_urls
 * NULL. Then the 'midjourney' counters list() reads, as bumpCount() keeps them (the user's,
 * and userId 0 for all users).
 */
async function loadMjTasks(pool: mysql.Pool, userId: number): Promise<number> {
  const t0 = performance.now();
  const mjId = (n: string) => `concat(${BASE_MS} + ${n} * ${STEP_MS} + (${n} * 7919) % 10000, lpad((${n} * 7919) % 1000000, 6, '0'))`;
  const upstreamId = (n: string) => `concat(${BASE_MS} + ${n} * ${STEP_MS} + (${n} * 7919) % 10000 + 1500, lpad((${n} * 104729) % 1000000, 6, '0'))`;
  const done = "g.status <> 'IN_PROGRESS'";
  const ok = "g.status = 'SUCCESS'";
  await pool.query({
    sql: `insert into midjourneys (mj_id, upstream_task_id, code, user_id, token_id, channel_id, action, parent_mj_id, prompt, prompt_en,
            description, state, submit_time, start_time, finish_time, image_url, video_url, video_urls, status, progress, fail_reason,
            quota, buttons, properties, request, idempotency_key, polled_at, seq, created_at, updated_at)
          select g.mj_id, g.up_id, if(g.n % 7 = 0, 22, 1), ?, 1 + g.n % 3, 1 + g.n % 2, g.action,
            if(g.action in ('UPSCALE', 'VARIATION'), g.parent_mj_id, null), g.prompt, g.prompt,
            case g.action when 'IMAGINE' then concat('/imagine ', g.prompt) when 'DESCRIBE' then '/describe image.png'
              else concat('/', lower(g.action), ' ', g.parent_up_id, ' ', 1 + g.n % 4) end,
            '', g.submit, g.submit + 1800, if(${done}, g.submit + 41000 + g.n % 20000, 0),
            if(${ok}, concat('https://cdn.discordapp.com/attachments/1181540964547088475/', 1200000000000000000 + g.n, '/bench_', g.hash, '.png'), ''),
            '', null, g.status, case g.status when 'SUCCESS' then '100%' when 'FAILURE' then '35%' else '67%' end,
            if(g.status = 'FAILURE', if(g.n % 2 = 0, 'Banned prompt detected', '[Invalid parameter] Invalid value'), ''),
            if(g.status = 'FAILURE', 0, case g.action when 'IMAGINE' then 50000 when 'UPSCALE' then 25000 else 50000 end),
            if(${ok} and g.action <> 'DESCRIBE', if(g.action = 'UPSCALE', ${buttonsSql('single')}, ${buttonsSql('grid')}), null),
            if(${done}, json_object('finalPrompt', g.prompt, 'finalZhPrompt', '', 'messageHash', g.hash, 'botType', 'MID_JOURNEY',
              'discordInstanceId', '1181540964547088475', 'notifyHook', null), null),
            case g.action
              when 'IMAGINE' then json_object('route', 'imagine', 'body', json_object('botType', 'MID_JOURNEY', 'prompt', g.prompt))
              when 'UPSCALE' then json_object('route', 'change', 'body', json_object('taskId', g.parent_up_id, 'action', 'UPSCALE', 'index', 1 + g.n % 4))
              when 'VARIATION' then json_object('route', 'action', 'body', json_object('taskId', g.parent_up_id, 'customId', concat('MJ::JOB::variation::', 1 + g.n % 4, '::', g.hash)))
              else json_object('route', 'describe', 'body', json_object('base64', concat('data:image/png;base64,', repeat('iVBORw0KGgoAAAANSUhEUgAA', 40))))
            end,
            null, if(${done}, floor((g.submit + 41000) / 1000), floor(g.submit / 1000) + 60), if(${done}, 7, 3),
            floor(g.submit / 1000), if(${done}, floor((g.submit + 41000 + g.n % 20000) / 1000), floor(g.submit / 1000) + 60)
          from (select s.seq as n, ${BASE_MS} + s.seq * ${STEP_MS} + (s.seq * 7919) % 10000 as submit,
                  ${mjId('s.seq')} as mj_id, ${upstreamId('s.seq')} as up_id,
                  ${mjId('(s.seq - 1)')} as parent_mj_id, ${upstreamId('(s.seq - 1)')} as parent_up_id,
                  case when s.seq % 20 < 12 then 'IMAGINE' when s.seq % 20 < 17 then 'UPSCALE' when s.seq % 20 < 19 then 'VARIATION' else 'DESCRIBE' end as action,
                  case when s.seq % 50 = 0 then 'IN_PROGRESS' when s.seq % 50 < 4 then 'FAILURE' else 'SUCCESS' end as status,
                  if(s.seq % 20 = 19, '', concat('a lighthouse on a cliff at dusk, volumetric fog, take ', s.seq, ' --ar 16:9 --v 6.1')) as prompt,
                  insert(insert(insert(insert(md5(s.seq), 21, 0, '-'), 17, 0, '-'), 13, 0, '-'), 9, 0, '-') as hash
                from seq_1_to_${ROWS} s) g`,
    values: [userId],
    timeout: LOAD_TIMEOUT_MS,
  });
  await pool.query('insert into task_counts (user_id, platform, total) values (?, ?, ?), (0, ?, ?)', [userId, MJ_COUNTER, ROWS, MJ_COUNTER, ROWS]);
  await pool.query('analyze table midjourneys');
  const loaded = await scalar(pool, 'select count(*) from midjourneys where user_id = ?', [userId], REQUEST_TIMEOUT_MS);
  if (loaded !== ROWS) throw new Error(`loaded ${loaded} rows, expected ${ROWS}`);
  // The formulas the stages use must name real rows.
  const mid = Math.floor(ROWS / 2);
  const [rows] = await pool.query<mysql.RowDataPacket[]>('select submit_time from midjourneys where mj_id = ?', [mjIdOf(mid)]);
  if (rows.length !== 1 || Number(rows[0].submit_time) !== submitTimeOf(mid)) throw new Error(`row ${mid}: mj_id ${mjIdOf(mid)} not found as generated`);
  return performance.now() - t0;
}

async function directRows(pool: mysql.Pool, sql: string, userId: number, expected: number): Promise<void> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql, values: [userId], timeout: REQUEST_TIMEOUT_MS });
  if (rows.length !== expected) throw new Error(`${sql}: ${rows.length} rows, expected ${expected}`);
}

async function describeTable(pool: mysql.Pool): Promise<string> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    "select data_length as d, index_length as i, avg_row_length as a from information_schema.tables where table_schema = database() and table_name = 'midjourneys'",
  );
  const mib = (n: unknown) => Math.round(Number(n) / 2 ** 20);
  return `table ${mib(rows[0].d)} MiB data + ${mib(rows[0].i)} MiB indexes, ~${rows[0].a} bytes/row`;
}

runBench(main);
