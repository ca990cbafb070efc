/**
 * One batched poll round at thousands of in-flight tasks, taken apart: where the worker's main
 * thread spends a round when nothing has changed upstream (the steady state of `poller-scale`).
 *
 * TASKS Suno tasks on one channel of the Suno-API simulator (outcome `stall`), rows in MariaDB
 * (database taskhub_bench_round, dropped at the end). Each part of a round runs ROUNDS times on
 * its own, then the whole round as the poller activity runs it, and each is compared with a
 * baseline measured in the same run: the in-flight query with the same statement sent through
 * mysql2 without the ORM; the batched fetches with the same requests without parsing the answer.
 * Run: npm run bench -- poll-round   (env: BENCH_TASKS=10000, BENCH_ROUNDS=20, BENCH_MYSQL_URL)
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type mysql from 'mysql2/promise';
import { createSunoPoller } from '../activities/suno';
import { ChannelType, type ITask } from '../db/entities';
import { TASK_IN_FLIGHT } from '../domain';
import { createServices } from '../services';
import { createSunoClient } from '../services/upstream/suno-client';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { PollSummary } from '../workflows/generation/definitions';
import { startSunoSimulator } from '../test/simulators/suno';
import { rootUser } from './support/app';
import { freshDatabase } from './support/mysql';
import { describeMachine, runBench, withCleanup } from './support/run';
import { measureConcurrent, median, percentile, printTable } from './support/stats';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BATCH = 1000;
const DB_NAME = 'taskhub_bench_round';
const DB_URL = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '')}/${DB_NAME}`;

interface Measured {
  wallMs: number[];
  cpuMs: number[];
}

/** Runs `step` ROUNDS times one after another (after one warm-up); wall and CPU time of this process per run. */
async function measure(step: () => Promise<unknown>): Promise<Measured> {
  await step();
  const out: Measured = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await step();
    out.wallMs.push(performance.now() - t0);
    const used = process.cpuUsage(cpu);
    out.cpuMs.push((used.user + used.system) / 1000);
  }
  return out;
}

async function main(): Promise<void> {
  if (!(Number.isInteger(TASKS) && TASKS >= 1000 && TASKS <= 50_000)) throw new Error('BENCH_TASKS must be an integer in [1000, 50000]');
  if (!(Number.isInteger(ROUNDS) && ROUNDS >= 3 && ROUNDS <= 200)) throw new Error('BENCH_ROUNDS must be an integer in [3, 200]');
  await withCleanup(async (cleanup) => {
    const { orm, pool } = await freshDatabase(DB_URL, DB_NAME, 4, cleanup);
    const services = createServices(orm);
    const suno = await startSunoSimulator({ stepMs: 10, defaultOutcome: 'stall' });
    cleanup.push(() => suno.stop());
    const channel = await services.channels.create({ type: ChannelType.suno, name: 'sim', key: suno.secret, baseUrl: suno.url });
    const client = createSunoClient(60_000);
    const user = await services.users.create(await rootUser(services, 'bench-round-root-token-0123456789'), {
      username: 'round',
      password: 'password123',
      quota: 1_000_000_000_000,
    });

    const t0 = performance.now();
    await measureConcurrent(TASKS, 16, async (i) => {
      const { task } = await services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: user.user.id, tokenId: null, quota: 1, properties: {} });
      const upstreamTaskId = await client.submit(channel, 'music', { prompt: `round ${i}` });
      await services.tasks.apply(task.taskId, 1, { channelId: channel.id, upstreamTaskId, status: 'SUBMITTED' });
    });
    console.log(`Poll round benchmark: ${TASKS} Suno tasks in flight on one channel, batches of ${BATCH}, ${ROUNDS} runs of each part`);
    console.log(`Machine: ${describeMachine()}; MariaDB, the simulator and this process share it; set up in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    // The first round moves every task to IN_PROGRESS and signals it; the rest see no change.
    const workflows = { suno: { signal: async () => true, start: async () => undefined } } as unknown as TaskWorkflows;
    const poll = createSunoPoller({ services, workflows, suno: client, batchSize: BATCH });
    const round = () => new MockActivityEnvironment().run(poll) as Promise<PollSummary>;
    await new Promise((r) => setTimeout(r, 200));
    const first = await round();
    for (const row of await services.tasks.inFlightByChannel('suno', 100_000).then((g) => [...g.values()].flat()))
      await services.tasks.apply(row.taskId, 2, { status: 'IN_PROGRESS' });

    const groups = await services.tasks.inFlightByChannel('suno', 100_000);
    const rows = [...groups.values()].flat() as ITask[];
    const upstreamIds = rows.map((r) => r.upstreamTaskId!);
    const batches: string[][] = [];
    for (let i = 0; i < upstreamIds.length; i += BATCH) batches.push(upstreamIds.slice(i, i + BATCH));
    const inFlightSql = `select id, task_id, channel_id, upstream_task_id, status, progress, finish_time, data from tasks where platform = 'suno' and status in (${TASK_IN_FLIGHT.map((st) => `'${st}'`).join(',')}) and upstream_task_id is not null and channel_id > 0 order by id asc`;

    const parts: [string, Measured, string, Measured][] = [
      [
        `in-flight query (${rows.length} rows, ORM)`,
        await measure(() => services.tasks.inFlightByChannel('suno', 100_000)),
        'same rows, mysql2',
        await measure(() => pool.query<mysql.RowDataPacket[]>(inFlightSql)),
      ],
      [
        `${batches.length} batched fetches, parsed`,
        await measure(() => Promise.all(batches.map((ids) => client.fetchMany(channel, ids)))),
        'same requests, body unread',
        await measure(() =>
          Promise.all(
            batches.map((ids) =>
              fetch(`${suno.url}/suno/fetch`, {
                method: 'POST',
                headers: { authorization: `Bearer ${suno.secret}`, 'content-type': 'application/json' },
                body: JSON.stringify({ ids }),
              }).then((r) => r.arrayBuffer()),
            ),
          ),
        ),
      ],
      [
        `mark ${rows.length} rows polled`,
        await measure(() => Promise.all(batches.map((_, i) => services.tasks.markPolled(rows.slice(i * BATCH, (i + 1) * BATCH).map((r) => r.id))))),
        '',
        { wallMs: [], cpuMs: [] },
      ],
      ['whole round (poller activity)', await measure(round), '', { wallMs: [], cpuMs: [] }],
    ];
    const cell = (m: Measured, pick: keyof Measured, p: number) => (m[pick].length ? percentile(m[pick], p) : '');
    printTable(
      `One Suno poll round at ${TASKS} in flight, nothing changed upstream (ms; CPU is this process's, simulator included in fetches)`,
      ['part', 'wall median', 'wall p99', 'CPU median', 'baseline', 'baseline wall median', 'baseline CPU median', 'wall / baseline'],
      parts.map(([label, m, baseLabel, b]) => [
        label,
        median(m.wallMs),
        percentile(m.wallMs, 99),
        median(m.cpuMs),
        baseLabel,
        cell(b, 'wallMs', 50),
        cell(b, 'cpuMs', 50),
        b.wallMs.length ? `${(median(m.wallMs) / median(b.wallMs)).toFixed(2)}x` : '',
      ]),
    );
    console.log(`First round (every task newly IN_PROGRESS): ${first.requests} requests, ${first.tasks} ids, ${first.signalled} signalled.`);
  });
}

runBench(main);
