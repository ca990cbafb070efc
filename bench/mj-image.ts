/**
 * Midjourney image forwarding benchmark: `GET /mj/image/:id` against fetching the same bytes
 * straight from the upstream.
 *
 * A midjourney-proxy simulator (stepMs 0) holds TASKS finished imagine tasks, submitted over
 * its HTTP API; the API (real Koa app and services on an SQLite file, Temporal stubbed: the
 * image route never reaches it) has a Midjourney channel (type 2) pointing at the simulator
 * and one SUCCESS `midjourneys` row per upstream task, whose image_url is the simulator's.
 * For a 1 MiB and a 4 MiB image (the simulator serves one exact-size PNG for every task),
 * at 1 and 8 concurrent clients, it measures in the same process and run:
 *   (a) GET /mj/image/:id through the API over HTTP (one task-and-channel lookup, address vetting,
 *       a kept-alive upstream connection pinned to the vetted address, bounded streaming);
 *   (b) the same URL through a bare Node pipe proxy in its own process (no lookup, guard or limit):
 *       what one hop through Node costs on this machine, the ceiling for any Node proxy;
 *   (c) GET of the task's image_url directly from the simulator (keep-alive, as a CDN client).
 * Requests cycle over the tasks. Each stage sends STAGE_MIB MiB (at least 4 requests per
 * client) and stops starting new requests after STAGE_BUDGET_MS.
 * Every response must be 200 with content-type image/png, content-length equal to the image
 * size, exactly that many bytes and a PNG signature (the first one of each size is compared
 * byte for byte); the simulator's image counter must match the requests sent, so nothing is
 * served from a cache. Anything else fails the run.
 * Everything listens on 127.0.0.1. The API runs in a process of its own (bench/support/api-process.ts);
 * client and simulator share this one; all share the machine's cores.
 * Run: npm run bench -- mj-image   (env: BENCH_TASKS=16, BENCH_STAGE_MIB=1024)
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ChannelType, MjTask, type IMjTask } from '../db/entities';
import { createOrm, prepareSchema, type Em, type Orm } from '../db/orm';
import { createServices, type Services } from '../services';
import { buildPng, PNG_SIGNATURE, startMidjourneySimulator, type MidjourneySimulator, type TaskJson } from '../test/simulators/midjourney';
import { rootUser } from './support/app';
import { startApiProcess } from './support/api-process';
import { startPipeProxy } from './support/pipe-proxy';
import { describeMachine, runBench, withCleanup } from './support/run';
import type { Stage } from './support/stages';
import { fmt, measureConcurrent, median, percentile, printTable } from './support/stats';

const TASKS = Number(process.env.BENCH_TASKS ?? 16);
const STAGE_MIB = Number(process.env.BENCH_STAGE_MIB ?? 1024);
const SIZES = [1024 * 1024, 4 * 1024 * 1024];
const CLIENTS = [1, 8];
const STAGE_BUDGET_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;
const MB = 1e6;

interface Target {
  /** Our task id, for /mj/image/:id. */
  mjId: string;
  /** The simulator's image URL of the same task. */
  imageUrl: string;
}

interface ImageStage extends Stage {
  size: number;
  bytes: number;
  cut: boolean;
}

async function main(): Promise<void> {
  if (!Number.isInteger(TASKS) || TASKS < 1 || TASKS > 10_000) throw new Error(`BENCH_TASKS must be an integer in [1, 10000], got ${process.env.BENCH_TASKS}`);
  if (!Number.isFinite(STAGE_MIB) || STAGE_MIB < 4 || STAGE_MIB > 65_536)
    throw new Error(`BENCH_STAGE_MIB must be in [4, 65536], got ${process.env.BENCH_STAGE_MIB}`);
  await withCleanup(async (cleanup) => {
    const sim = await startMidjourneySimulator({ stepMs: 0, imageBytes: SIZES[0] });
    cleanup.push(() => sim.stop());

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'taskhub-bench-mj-image-'));
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const orm = await createOrm({ kind: 'sqlite', file: path.join(dir, 'taskhub.sqlite') });
    cleanup.push(() => orm.close(true));
    await prepareSchema(orm);
    const services = createServices(orm);

    const upstream = await finishedImagines(sim, TASKS);
    const targets = await seedRows(services, orm, sim, upstream);

    // The API in a process of its own, as it runs in production: the proxy's work is not
    // interleaved with the client's and the simulator's on one event loop.
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const api = await startApiProcess({ LOG_LEVEL: 'silent', DATA_DIR: dir, PORT: '0' }, profile);
    cleanup.push(api.stop);
    const base = api.base;
    const pipe = await startPipeProxy();
    cleanup.push(pipe.stop);
    const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...CLIENTS) });
    cleanup.push(async () => agent.destroy());

    console.log(`Midjourney image forwarding benchmark: ${TASKS} tasks, images of ${SIZES.map(mib).join(' and ')}, ${CLIENTS.join(' and ')} clients`);
    console.log(`Machine: ${describeMachine()}; the API (SQLite) in its own process, client and simulator in this one`);

    sim.resetStats();
    let sent = 0;
    const count = <T>(p: Promise<T>) => {
      sent++;
      return p;
    };
    const stages: ImageStage[] = [];
    for (const size of SIZES) {
      sim.setImage({ bytes: size });
      const expected = buildPng(size);
      // The first response of each path, compared byte for byte with what the simulator serves.
      for (const url of [`${base}/mj/image/${targets[0].mjId}`, targets[0].imageUrl]) {
        const body = await count(getImage(agent, url, size, true));
        if (!body?.equals(expected)) throw new Error(`GET ${url}: the bytes differ from the simulator's ${mib(size)} PNG`);
      }
      const requests = (clients: number) => Math.max(4 * clients, Math.ceil((STAGE_MIB * 2 ** 20) / size));
      for (const clients of CLIENTS) {
        const proxyUrl = (i: number) => `${base}/mj/image/${targets[i % targets.length].mjId}`;
        const directUrl = (i: number) => targets[i % targets.length].imageUrl;
        const pipeUrl = (i: number) => `${pipe.base}/?url=${encodeURIComponent(directUrl(i))}`;
        stages.push(await runStage('taskhub: GET /mj/image/:id', size, clients, requests(clients), (i) => count(getImage(agent, proxyUrl(i), size))));
        stages.push(await runStage('bare Node pipe proxy', size, clients, requests(clients), (i) => count(getImage(agent, pipeUrl(i), size))));
        stages.push(await runStage('direct: image_url on the simulator', size, clients, requests(clients), (i) => count(getImage(agent, directUrl(i), size))));
      }
    }
    const served = sim.stats().image;
    if (served !== sent) throw new Error(`the simulator served ${served} images for ${sent} requests: something answered without forwarding`);

    const rate = (s: ImageStage) => s.bytes / MB / (s.wallMs / 1000);
    printTable(
      `GET /mj/image/:id vs the upstream directly, ${os.cpus().length} cores, 127.0.0.1 (MB = 10^6 bytes; wall time includes every client)`,
      ['case', 'image', 'clients', 'requests', 'MB/s', 'median ms', 'p99 ms', '/ direct', '/ bare pipe'],
      stages.map((s, i) => {
        const group = i - (i % 3);
        const [pipeStage, direct] = [stages[group + 1], stages[group + 2]];
        return [
          s.label + (s.cut ? ' (cut at budget)' : ''),
          mib(s.size),
          String(s.clients),
          String(s.ms.length),
          rate(s),
          median(s.ms),
          percentile(s.ms, 99),
          `${fmt(rate(s) / rate(direct))}x`,
          `${fmt(rate(s) / rate(pipeStage))}x`,
        ];
      }),
    );
    console.log(
      `\nChecked on all ${sent.toLocaleString('en-US')} responses: 200, image/png, content-length and byte count; the simulator served ${served.toLocaleString('en-US')} images.`,
    );
    console.log(
      `The bare pipe proxy (bench/support/pipe-proxy.ts, a process of its own like the API) forwards with no lookup, guard or limit: it is the most a Node hop can give here.`,
    );
    console.log(
      `The proxy keeps upstream connections alive in one pool per vetted address set (a host that resolves elsewhere never reuses them); the direct client keeps connections alive too.`,
    );
  });
}

/** Submits `n` imagines to the simulator over its HTTP API and reads each back finished (stepMs 0: on first read). */
async function finishedImagines(sim: MidjourneySimulator, n: number): Promise<TaskJson[]> {
  const tasks: TaskJson[] = [];
  for (let i = 0; i < n; i++) {
    const headers = { 'content-type': 'application/json', 'mj-api-secret': sim.secret };
    const submit = await fetch(`${sim.url}/mj/submit/imagine`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt: `a lighthouse at dusk, take ${i} --v 6.1` }),
    });
    const reply = (await submit.json()) as { code: number; result: string | null };
    if (submit.status !== 200 || reply.code !== 1 || !reply.result) throw new Error(`imagine ${i}: ${submit.status} ${JSON.stringify(reply)}`);
    const fetched = await fetch(`${sim.url}/mj/task/${reply.result}/fetch`, { headers });
    const task = (await fetched.json()) as TaskJson;
    if (fetched.status !== 200 || task.status !== 'SUCCESS' || !task.imageUrl)
      throw new Error(`task ${reply.result}: ${fetched.status} ${JSON.stringify(task).slice(0, 300)}`);
    tasks.push(task);
  }
  return tasks;
}

/** A Midjourney channel on the simulator and one finished row per upstream task, written through the ORM as the workflow leaves them. */
async function seedRows(services: Services, orm: Orm, sim: MidjourneySimulator, upstream: TaskJson[]): Promise<Target[]> {
  const root = await rootUser(services, 'bench-mj-image-root-token-0123456789');
  const channel = await services.channels.create({ type: ChannelType.midjourney, name: 'bench mj-sim', key: sim.secret, baseUrl: sim.url });
  const em = orm.em.fork() as Em;
  const rows: IMjTask[] = upstream.map((t, i) =>
    em.create(MjTask, {
      mjId: `${t.submitTime}${String(i).padStart(6, '0')}`,
      upstreamTaskId: t.id,
      code: 1,
      userId: root.id,
      tokenId: null,
      channelId: channel.id,
      action: 'IMAGINE',
      parentMjId: null,
      prompt: t.prompt ?? '',
      promptEn: t.promptEn ?? '',
      description: t.description,
      submitTime: t.submitTime,
      startTime: t.startTime ?? 0,
      finishTime: t.finishTime ?? 0,
      imageUrl: t.imageUrl!,
      status: 'SUCCESS',
      progress: '100%',
      quota: 50_000,
      buttons: t.buttons,
      properties: { ...t.properties },
      request: { route: 'imagine', body: { prompt: t.prompt } },
      seq: 7,
      createdAt: Math.floor(t.submitTime / 1000),
      updatedAt: Math.floor((t.finishTime ?? t.submitTime) / 1000),
    }),
  );
  await em.flush();
  return rows.map((r) => ({ mjId: r.mjId, imageUrl: r.imageUrl }));
}

/**
 * One image GET, read to the end. Fails unless it is 200, image/png, with content-length and
 * byte count equal to `size` and a PNG signature. Returns the bytes only when `keep` is set.
 */
function getImage(agent: http.Agent, url: string, size: number, keep = false): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`GET ${url}: ${why}`));
    const req = http.get(url, { agent, headers: { accept: 'image/*' } }, (res) => {
      const type = res.headers['content-type'] ?? '';
      const length = res.headers['content-length'];
      if (res.statusCode !== 200 || !/^image\/png(;|$)/.test(type) || length !== String(size)) {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.length < 4 && chunks.push(c));
        res.on('end', () =>
          fail(`${res.statusCode} ${type} content-length ${length}, expected 200 image/png ${size}: ${Buffer.concat(chunks).toString('utf8', 0, 200)}`),
        );
        res.on('error', (err) => fail(err.message));
        return;
      }
      let received = 0;
      let head: Buffer | undefined;
      const kept: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        head ??= chunk;
        received += chunk.length;
        if (keep) kept.push(chunk);
      });
      res.on('error', (err) => fail(`body: ${err.message}`));
      res.on('end', () => {
        if (received !== size) return fail(`${received} bytes, expected ${size}`);
        if (!head || head.length < PNG_SIGNATURE.length || !head.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return fail('no PNG signature');
        resolve(keep ? Buffer.concat(kept) : undefined);
      });
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no progress for ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => fail(err.message));
  });
}

/** 2 x clients warm-up requests, then up to `requests` with `clients` in flight; no new request starts after STAGE_BUDGET_MS. */
async function runStage(label: string, size: number, clients: number, requests: number, call: (i: number) => Promise<unknown>): Promise<ImageStage> {
  await measureConcurrent(2 * clients, clients, call, STAGE_BUDGET_MS);
  const { ms, wallMs, cut } = await measureConcurrent(requests, clients, call, STAGE_BUDGET_MS);
  console.log(
    `  measured: ${label}, ${mib(size)}, ${clients} client(s): ${ms.length} requests in ${(wallMs / 1000).toFixed(1)} s${cut ? ' (cut at budget)' : ''}`,
  );
  return { label, size, clients, ms, bytes: ms.length * size, wallMs, cut };
}

const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(2)} MiB`;

runBench(main);
