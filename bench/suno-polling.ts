/**
 * Suno polling benchmark (issue 3).
 *
 * With TASKS in-flight tasks spread over 2 channels (two Suno-API simulators
 * that hold every task IN_PROGRESS), it measures:
 *   1. upstream requests per poll round made by the batched poller, against
 *      per-task polling (one GET per task, new-api's video approach) run in the
 *      same process over the same tasks;
 *   2. the time from the upstream completing a task to SUCCESS showing in
 *      GET /api/task/self, against the poll interval.
 *
 * Real parts: Temporal dev server (in memory), worker, API over HTTP, MariaDB.
 * Run: npm run bench -- suno-polling   (env: BENCH_TASKS=1000, BENCH_POLL_INTERVAL=5, BENCH_SAMPLES=100)
 */
import http from 'node:http';
import { NativeConnection } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createActivities } from '../activities';
import { buildApp } from '../api/app';
import { createEvents } from '../api/events';
import { Task } from '../db/entities';
import { createOrm, prepareSchema, type Orm } from '../db/orm';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createServices } from '../services';
import { createSunoClient } from '../services/upstream/suno-client';
import { connectTemporal } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { freePort } from '../test/support/ports';
import { startSunoSimulator } from '../test/simulators/suno';
import { createWorker } from '../worker/create-worker';
import { ensureSunoPoller } from '../worker/pollers';
import { describeMachine, mustEnv, runBench, waitUntil, withCleanup } from './support/run';
import { measureConcurrent, median, percentile, printTable } from './support/stats';

const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const INTERVAL = Number(process.env.BENCH_POLL_INTERVAL ?? 5);
const SAMPLES = Math.min(Number(process.env.BENCH_SAMPLES ?? 100), TASKS);
const DB_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/taskhub_bench_polling';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  await withCleanup(async (cleanup) => {
    console.log(`Suno polling benchmark: ${TASKS} tasks, 2 channels, poll interval ${INTERVAL} s`);
    console.log(`Machine: ${describeMachine()}; client, API, worker, Temporal, MariaDB and simulators share it`);
    const devServer = await startDevServer({ cliPath: mustEnv('TEMPORAL_CLI'), port: await freePort() });
    cleanup.push(() => devServer.stop());
    const orm = await freshDatabase();
    cleanup.push(async () => {
      await orm.em.getConnection().execute('drop database if exists taskhub_bench_polling');
      await orm.close(true);
    });

    const sims = [await startSunoSimulator({ stepMs: 50, defaultOutcome: 'stall' }), await startSunoSimulator({ stepMs: 50, defaultOutcome: 'stall' })];
    cleanup.push(() => Promise.all(sims.map((s) => s.stop())));
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      TASK_POLL_INTERVAL: String(INTERVAL),
      TASK_TIMEOUT_MINUTES: '60',
      TEMPORAL_TASK_QUEUE: 'bench-suno',
      DATABASE_URL: DB_URL,
    });
    const services = createServices(orm);
    const temporal = await connectTemporal(devServer.address, 'default');
    cleanup.push(() => temporal.close());

    const connection = await NativeConnection.connect({ address: devServer.address });
    const worker = await createWorker({
      connection,
      namespace: 'default',
      taskQueue: 'bench-suno',
      activities: createActivities({ services, client: temporal.client, config }),
    });
    const running = worker.run();
    cleanup.push(async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });

    const server = http.createServer(
      buildApp({
        config,
        orm,
        services,
        log: createLogger('silent'),
        metrics: new Registry(),
        temporal: { client: temporal.client, check: temporal.check },
        events: createEvents(orm, config, createLogger('silent')),
        lifecycle: { shuttingDown: false },
      }).callback(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const { accessToken, key } = await seedUser(services);
    for (const [i, sim] of sims.entries()) await services.channels.create({ type: 36, name: `sim-${i}`, key: sim.secret, baseUrl: sim.url, weight: 10 });

    // Submit through the relay, as clients would.
    const submit = await measureConcurrent(TASKS, 16, async (i) => {
      const res = await fetch(`${base}/suno/submit/music`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: `bench ${i}` }),
      });
      if (res.status !== 200) throw new Error(`submit ${i}: ${res.status} ${await res.text()}`);
    });
    await waitUntil('every task is at its upstream', 120_000, 250, async () => (await orm.em.fork().count(Task, { upstreamTaskId: { $ne: null } })) === TASKS);
    await ensureSunoPoller(temporal.client, 'bench-suno', INTERVAL, 'suno-poller-bench');

    // 1. Upstream requests per round, batched vs per task, in the steady state
    //    (the first rounds also signal every task's move to IN_PROGRESS).
    await sleep(2 * INTERVAL * 1000);
    for (const sim of sims) sim.resetStats();
    const rounds = 6;
    await sleep(rounds * INTERVAL * 1000 + 500);
    const batches = sims.map((s) => s.stats().requests.fetch_batch);
    const idsPerRequest = sims.flatMap((s) => s.stats().fetchBatches.map((b) => b.length));
    const perRound = (batches[0] + batches[1]) / rounds;

    const suno = createSunoClient(60_000);
    const tasks = await orm.em.fork().find(Task, {}, { fields: ['upstreamTaskId', 'channelId'] });
    const channelOf = new Map((await services.channels.usable([36])).map((c) => [c.id, c]));
    const batched: number[] = [];
    const perTask: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      await Promise.all(
        [...channelOf.values()].map((ch) =>
          suno.fetchMany(
            ch,
            tasks.filter((t) => t.channelId === ch.id).map((t) => t.upstreamTaskId!),
          ),
        ),
      );
      batched.push(performance.now() - t0);
      const t1 = performance.now();
      await measureConcurrent(tasks.length, 8, (i) => suno.fetchOne(channelOf.get(tasks[i].channelId)!, tasks[i].upstreamTaskId!));
      perTask.push(performance.now() - t1);
    }
    printTable(
      `Upstream cost of one poll round, ${TASKS} in-flight tasks on 2 channels`,
      ['approach', 'requests/round', 'ids/request (median)', 'round ms (median)', 'round ms (max of 3)', 'requests ratio'],
      [
        ['batched poller (taskhub)', perRound, median(idsPerRequest), median(batched), Math.max(...batched), 1],
        ['per-task GET (baseline)', tasks.length, 1, median(perTask), Math.max(...perTask), tasks.length / perRound],
      ],
    );

    // 2. Upstream completion → SUCCESS visible in /api/task/self.
    const sample = tasks.slice(0, SAMPLES);
    const completedAt = new Map<string, number>();
    const seenAt = new Map<string, number>();
    const spread = 2 * INTERVAL * 1000;
    const completions = sample.map(async (t) => {
      await sleep(Math.random() * spread);
      const sim = sims.find((s) => s.task(t.upstreamTaskId!))!;
      sim.complete(t.upstreamTaskId!);
      completedAt.set(t.upstreamTaskId!, performance.now());
    });
    const byTaskId = new Map((await orm.em.fork().find(Task, {}, { fields: ['taskId', 'upstreamTaskId'] })).map((t) => [t.taskId, t.upstreamTaskId!]));
    const watchUntil = performance.now() + spread + 6 * INTERVAL * 1000;
    for (let i = 0; i < 10_000 && seenAt.size < SAMPLES && performance.now() < watchUntil; i++) {
      const res = await fetch(`${base}/api/task/self?status=SUCCESS&page_size=100`, { headers: { authorization: `Bearer ${accessToken}` } });
      const now = performance.now();
      for (const item of ((await res.json()) as { data: { items: { task_id: string }[] } }).data.items) {
        const upstreamId = byTaskId.get(item.task_id)!;
        if (!seenAt.has(upstreamId) && completedAt.has(upstreamId)) seenAt.set(upstreamId, now);
      }
      await sleep(100);
    }
    await Promise.all(completions);
    const latency = [...seenAt].map(([id, seen]) => (seen - completedAt.get(id)!) / 1000);
    printTable(
      `Upstream completion → SUCCESS in /api/task/self (${latency.length}/${SAMPLES} seen, observed every 100 ms)`,
      ['measure', 'median s', 'p99 s', 'max s', 'median / interval'],
      [
        ['taskhub', median(latency), percentile(latency, 99), Math.max(...latency), median(latency) / INTERVAL],
        ['baseline: poll interval', INTERVAL, INTERVAL, INTERVAL, 1],
      ],
    );
    printTable(
      'Submission through the relay (16 concurrent clients)',
      ['tasks', 'tasks/s', 'median ms', 'p99 ms'],
      [[TASKS, TASKS / (submit.wallMs / 1000), median(submit.ms), percentile(submit.ms, 99)]],
    );
  });
}

async function freshDatabase(): Promise<Orm> {
  const orm = await createOrm({ kind: 'mysql', url: DB_URL }, { poolSize: 20 });
  await orm.em.getConnection().execute('drop database if exists taskhub_bench_polling');
  await orm.close(true);
  const fresh = await createOrm({ kind: 'mysql', url: DB_URL }, { poolSize: 20 });
  await prepareSchema(fresh);
  return fresh;
}

async function seedUser(services: ReturnType<typeof createServices>) {
  await services.users.ensureRoot('bench-root-token-0123456789');
  const root = await services.users.authenticate('bench-root-token-0123456789');
  const { user, accessToken } = await services.users.create(root, { username: 'bench', password: 'password123', quota: 1_000_000_000 });
  const { key } = await services.tokens.create(user.id, { name: 'bench', unlimitedQuota: true });
  return { accessToken, key };
}

runBench(main);
