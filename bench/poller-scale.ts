/**
 * Poller at scale: thousands of in-flight tasks per channel, the worker's memory over time, and
 * how fresh a finished task shows in the listing, at the default settings.
 *
 * SUNO_TASKS Suno tasks on one Suno-API simulator and MJ_TASKS Midjourney tasks on one
 * midjourney-proxy simulator, both holding every task in progress (outcome `stall`), are
 * submitted through the services the relay calls (row and charge, then workflow). The worker
 * runs in a process of its own, started as `worker/main.ts` starts it (its pollers included), with
 * the defaults of lib/config.ts unless the environment overrides them (TASK_POLL_INTERVAL,
 * TEMPORAL_MAX_CACHED_WORKFLOWS…). Over MINUTES it samples, every few seconds:
 *   - per poll round and channel: batched upstream requests and ids, and single-task fetches
 *     (the per-task fallback, which must stay at 0 while the poller is healthy);
 *   - the worker's resident memory (RSS, from /proc).
 * Then it completes SAMPLES tasks upstream at random moments and measures the time until each
 * shows SUCCESS in /api/task/self (the API in this process, reading the same database).
 *
 * Real parts: Temporal dev server (in memory), MariaDB (database taskhub_bench_poller, dropped at
 * the end), the worker process, the simulators on 127.0.0.1. Every process ends with the run.
 * Run: npm run bench -- poller-scale
 *   (env: BENCH_SUNO_TASKS=10000, BENCH_MJ_TASKS=2500, BENCH_MINUTES=10, BENCH_SAMPLES=100,
 *    BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306, BENCH_WORKER_NODE_FLAGS=<node flags of the worker>, by default
 *    the production command line's --max-old-space-size=384;
 *    worker settings as in docs/configuration.md)
 */
import os from 'node:os';
import type { Client } from '@temporalio/client';
import { ChannelType, MjTask, Task } from '../db/entities';
import { MJ_POLLER_ID, SUNO_POLLER_ID } from '../domain';
import { createOrm, prepareSchema, type Orm } from '../db/orm';
import { loadConfig } from '../lib/config';
import { createServices, type Services } from '../services';
import { submitMjTask } from '../services/midjourney/submit';
import { submitSunoTask } from '../services/suno/submit';
import { connectTemporal } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { createTaskWorkflows } from '../temporal/task-workflows';
import { startMidjourneySimulator } from '../test/simulators/midjourney';
import { startSunoSimulator } from '../test/simulators/suno';
import { freePort } from '../test/support/ports';
import { serveApp } from './support/app';
import { pollerRounds, type PollerRound } from './support/poller-rounds';
import { describeMachine, mustEnv, runBench, waitUntil, withCleanup } from './support/run';
import { measureConcurrent, median, percentile, printTable } from './support/stats';
import { startWorkerProcess } from './support/worker-process';

const SUNO_TASKS = Number(process.env.BENCH_SUNO_TASKS ?? 10_000);
const MJ_TASKS = Number(process.env.BENCH_MJ_TASKS ?? 2_500);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const BATCH = 1000;
// As docker-compose.yml and docs/production.md run the worker.
const WORKER_NODE_FLAGS = (process.env.BENCH_WORKER_NODE_FLAGS ?? '--max-old-space-size=384').split(' ').filter(Boolean);
const DB_NAME = 'taskhub_bench_poller';
const DB_URL = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '')}/${DB_NAME}`;
const QUEUE = 'bench-poller';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (![SUNO_TASKS, MJ_TASKS].every((n) => Number.isInteger(n) && n >= 0 && n <= 50_000))
    throw new Error('BENCH_SUNO_TASKS and BENCH_MJ_TASKS must be in [0, 50000]');
  if (!(MINUTES >= 1 && MINUTES <= 60)) throw new Error('BENCH_MINUTES must be in [1, 60]');
  await withCleanup(async (cleanup) => {
    const devServer = await startDevServer({ cliPath: mustEnv('TEMPORAL_CLI'), port: await freePort() });
    cleanup.push(() => devServer.stop());
    const orm = await freshDatabase(cleanup);
    const services = createServices(orm);
    const suno = await startSunoSimulator({ stepMs: 50, defaultOutcome: 'stall' });
    const mj = await startMidjourneySimulator({ stepMs: 50, defaultOutcome: 'stall', maxTasks: MJ_TASKS + 1000 });
    cleanup.push(() => Promise.all([suno.stop(), mj.stop()]));
    await services.channels.create({ type: ChannelType.suno, name: 'suno-sim', key: suno.secret, baseUrl: suno.url });
    await services.channels.create({ type: ChannelType.midjourney, name: 'mj-sim', key: mj.secret, baseUrl: mj.url });

    // The worker's settings: lib/config.ts defaults, unless this environment sets them.
    const workerEnv = { DATABASE_URL: DB_URL, TEMPORAL_ADDRESS: devServer.address, TEMPORAL_TASK_QUEUE: QUEUE, LOG_LEVEL: 'warn' };
    const config = loadConfig({ ...process.env, ...workerEnv, LOG_LEVEL: 'silent' });
    console.log(`Poller benchmark: ${SUNO_TASKS} Suno + ${MJ_TASKS} Midjourney tasks in flight, one channel each, ${MINUTES} min`);
    console.log(`Machine: ${describeMachine()}; worker process, Temporal, MariaDB, simulators and this process share it`);
    console.log(
      `Settings: TASK_POLL_INTERVAL ${config.taskPollIntervalSeconds} s, TEMPORAL_MAX_CACHED_WORKFLOWS ${config.temporal.maxCachedWorkflows}, batch ${BATCH} ids, worker Node flags [${WORKER_NODE_FLAGS.join(' ')}]; load ${os.loadavg()[0].toFixed(1)}`,
    );
    const worker = await startWorkerProcess(workerEnv, WORKER_NODE_FLAGS);
    cleanup.push(worker.stop);
    const idleRss = worker.rssMiB();

    // Not closed in cleanup: a Midjourney submit that stopped waiting for its update leaves the
    // SDK's poll of that update retrying, and a retry timer that fires on a closed connection
    // throws outside any promise, killing the run before its error is printed. The dev server
    // stops in cleanup and the run exits, which ends the connection anyway.
    const temporal = await connectTemporal(devServer.address, 'default');
    const workflows = createTaskWorkflows(temporal.client, config);
    const { user, token, accessToken } = await seedUser(services);

    const t0 = performance.now();
    await measureConcurrent(SUNO_TASKS, 32, (i) =>
      submitSunoTask({ services, workflows, config }, { user, token, action: 'music', body: { prompt: `bench ${i}` } }),
    );
    await measureConcurrent(MJ_TASKS, 32, (i) =>
      submitMjTask(
        { services, workflows, config: { ...config, midjourney: { ...config.midjourney, submitWaitSeconds: 0.001 } } },
        {
          user,
          token,
          route: 'imagine',
          body: { prompt: `bench ${i}` },
        },
      ),
    );
    const em = () => orm.em.fork();
    console.log(`Submitted to taskhub in ${((performance.now() - t0) / 1000).toFixed(0)} s; waiting for the worker to hand every task to its upstream`);
    let checks = 0;
    await waitUntil('every task is at its upstream', 1_800_000, 1000, async () => {
      const [s, m] = await Promise.all([em().count(Task, { upstreamTaskId: { $ne: null } }), em().count(MjTask, { upstreamTaskId: { $ne: null } })]);
      if (++checks % 30 === 0)
        console.log(`  at their upstreams: ${s} of ${SUNO_TASKS} Suno, ${m} of ${MJ_TASKS} Midjourney; worker RSS ${worker.rssMiB().toFixed(0)} MiB`);
      return s === SUNO_TASKS && m === MJ_TASKS;
    });
    console.log(`Submitted and at their upstreams in ${((performance.now() - t0) / 1000).toFixed(0)} s; worker RSS ${worker.rssMiB().toFixed(0)} MiB`);

    // Steady state: sample the simulators and the worker.
    suno.resetStats();
    mj.resetStats();
    const samples: {
      at: number;
      rss: number;
      v8: number;
      mainHeap: number;
      sunoBatches: number[];
      sunoSingles: number;
      mjBatches: number[];
      mjSingles: number;
    }[] = [];
    const started = performance.now();
    let sunoSeen = 0;
    let mjSeen = 0;
    for (let i = 0; i < 100_000 && performance.now() - started < MINUTES * 60_000; i++) {
      await sleep(5_000);
      const s = suno.stats();
      const m = mj.stats();
      const memory = await worker.memory();
      samples.push({
        at: (performance.now() - started) / 1000,
        rss: worker.rssMiB(),
        v8: memory.v8PagesMiB,
        mainHeap: memory.mainHeapUsedMiB,
        sunoBatches: s.fetchBatches.slice(sunoSeen).map((b) => b.length),
        sunoSingles: s.requests.fetch_one,
        mjBatches: m.idsPerListCall.slice(mjSeen),
        mjSingles: m.fetch_one,
      });
      sunoSeen = s.fetchBatches.length;
      mjSeen = m.idsPerListCall.length;
    }
    const elapsed = (performance.now() - started) / 1000;
    const rounds = elapsed / config.taskPollIntervalSeconds;
    const all = (pick: (s: (typeof samples)[number]) => number[]) => samples.flatMap(pick);
    const last = samples.at(-1)!;
    printTable(
      `Upstream requests over ${elapsed.toFixed(0)} s (${rounds.toFixed(1)} poll rounds of ${config.taskPollIntervalSeconds} s)`,
      ['platform', 'in flight', 'expected per round', 'batched per round', 'ids per round', 'max ids/request', 'single-task fetches'],
      [
        [
          'Suno',
          SUNO_TASKS,
          Math.ceil(SUNO_TASKS / BATCH),
          all((s) => s.sunoBatches).length / rounds,
          sum(all((s) => s.sunoBatches)) / rounds,
          Math.max(0, ...all((s) => s.sunoBatches)),
          last.sunoSingles,
        ],
        [
          'Midjourney',
          MJ_TASKS,
          Math.ceil(MJ_TASKS / BATCH),
          all((s) => s.mjBatches).length / rounds,
          sum(all((s) => s.mjBatches)) / rounds,
          Math.max(0, ...all((s) => s.mjBatches)),
          last.mjSingles,
        ],
      ],
    );
    const every = Math.max(1, Math.round(samples.length / 20));
    printTable(
      `Worker RSS (idle before the tasks: ${idleRss.toFixed(0)} MiB)`,
      ['t s', 'RSS MiB', 'V8 heaps MiB', 'main heap used', 'Suno batches', 'Suno ids', 'MJ batches', 'MJ ids', 'single fetches (cumulative)'],
      samples
        .filter((_, i) => i % every === every - 1 || i === samples.length - 1)
        .map((s, i, kept) => {
          const window = samples.slice(i === 0 ? 0 : samples.indexOf(kept[i - 1]) + 1, samples.indexOf(s) + 1);
          return [
            s.at,
            s.rss,
            s.v8,
            s.mainHeap,
            window.flatMap((w) => w.sunoBatches).length,
            sum(window.flatMap((w) => w.sunoBatches)),
            window.flatMap((w) => w.mjBatches).length,
            sum(window.flatMap((w) => w.mjBatches)),
            s.sunoSingles + s.mjSingles,
          ];
        }),
    );
    await printPollerRounds(temporal.client, Date.now() - elapsed * 1000);

    const rss = samples.map((s) => s.rss);
    const half = rss.slice(Math.floor(rss.length / 2));
    console.log(`RSS: max ${Math.max(...rss).toFixed(0)} MiB; second half ${Math.min(...half).toFixed(0)}..${Math.max(...half).toFixed(0)} MiB`);

    // Freshness: upstream completion → SUCCESS in /api/task/self, at these settings.
    const { base, close } = await serveApp(config, orm, services, { workflows, check: temporal.check });
    cleanup.push(close);
    const sample = await em().find(Task, {}, { fields: ['taskId', 'upstreamTaskId'], limit: SAMPLES, orderBy: { id: 'desc' } });
    const byTaskId = new Map(sample.map((t) => [t.taskId, t.upstreamTaskId!]));
    const completedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const spread = 3 * config.taskPollIntervalSeconds * 1000;
    const completions = sample.map(async (t) => {
      await sleep(Math.random() * spread);
      suno.complete(t.upstreamTaskId!);
      completedAt.set(t.upstreamTaskId!, performance.now());
    });
    const watchUntil = performance.now() + spread + 60_000;
    for (let i = 0; i < 100_000 && seenAt.size < sample.length && performance.now() < watchUntil; i++) {
      const res = await fetch(`${base}/api/task/self?status=SUCCESS&page_size=100`, { headers: { authorization: `Bearer ${accessToken}` } });
      const now = performance.now();
      for (const item of ((await res.json()) as { data: { items: { task_id: string }[] } }).data.items) {
        const up = byTaskId.get(item.task_id);
        if (up && !seenAt.has(up) && completedAt.has(up)) seenAt.set(up, now);
      }
      await sleep(100);
    }
    await Promise.all(completions);
    const latency = [...seenAt].map(([id, at]) => (at - completedAt.get(id)!) / 1000);
    printTable(
      `Upstream completion → SUCCESS in /api/task/self (${latency.length}/${sample.length} seen, observed every 100 ms, ${SUNO_TASKS + MJ_TASKS} in flight)`,
      ['measure', 'median s', 'p99 s', 'max s', 'poll interval s'],
      [['taskhub', median(latency), percentile(latency, 99), Math.max(...latency), config.taskPollIntervalSeconds]],
    );
    console.log(
      `Load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Where each poller's rounds spent their time over the window, from the pollers' own histories. */
async function printPollerRounds(client: Client, sinceMs: number): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [name, id] of [
    ['Suno', SUNO_POLLER_ID],
    ['Midjourney', MJ_POLLER_ID],
  ] as const) {
    const rounds = await pollerRounds(client, id, sinceMs);
    const periods = rounds.slice(1).map((r, i) => (r.at - rounds[i].at) / 1000);
    const s = (pick: (r: PollerRound) => number | undefined) =>
      rounds
        .map(pick)
        .filter((x): x is number => x !== undefined)
        .map((x) => x / 1000);
    const both = (xs: number[]) => `${median(xs).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;
    rows.push([
      name,
      rounds.length,
      rounds.filter((r) => r.outcome !== 'completed').length,
      both(periods),
      both(s((r) => r.queued)),
      both(s((r) => r.ran)),
      both(s((r) => r.woke)),
    ]);
  }
  printTable(
    "Poll rounds over the window, from the pollers' histories (median / p99, seconds)",
    ['poller', 'rounds', 'not completed', 'period', 'queued for a worker', 'ran', 'timer fired → next round'],
    rows,
  );
}

async function freshDatabase(cleanup: (() => Promise<unknown>)[]): Promise<Orm> {
  const admin = await createOrm({ kind: 'mysql', url: DB_URL });
  await admin.em.getConnection().execute(`drop database if exists ${DB_NAME}`);
  await admin.close(true);
  const orm = await createOrm({ kind: 'mysql', url: DB_URL }, { poolSize: 20 });
  await prepareSchema(orm);
  cleanup.push(async () => {
    await orm.em.getConnection().execute(`drop database if exists ${DB_NAME}`);
    await orm.close(true);
  });
  return orm;
}

async function seedUser(services: Services) {
  await services.users.ensureRoot('bench-root-token-0123456789');
  const root = await services.users.authenticate('bench-root-token-0123456789');
  const { user, accessToken } = await services.users.create(root, { username: 'bench', password: 'password123', quota: 1_000_000_000_000 });
  const { token } = await services.tokens.create(user.id, { name: 'bench', unlimitedQuota: true });
  return { user, token, accessToken };
}

runBench(main);
