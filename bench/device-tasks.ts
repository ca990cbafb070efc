/**
 * Device task benchmark (issue 5).
 *
 * Real parts: Temporal dev server (in memory), worker, API over HTTP, SQLite (or MySQL with
 * BENCH_MYSQL_URL), an in-process Appium 3 server with the fake driver. It measures:
 *   1. POST /api/v1/task creating TASKS tasks in one request (rows in one transaction,
 *      then one workflow start each), beside bare `client.workflow.start` calls at the
 *      same concurrency, in the same process against the same server;
 *   2. the time from a task's due instant (start_time) to its script's first Appium
 *      command, beside the device layer started by a plain timer at the same instant;
 *   3. stop latency: POST /stop on a running warm-up until its Appium session is closed
 *      and the task reads failed, beside aborting the device layer directly.
 *
 * Run: npm run bench -- device-tasks   (env: BENCH_TASKS=100, BENCH_ROUNDS=5, BENCH_SAMPLES=20)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { Registry } from 'prom-client';
import { createActivities } from '../activities';
import { buildApp } from '../api/app';
import { createEvents } from '../api/events';
import { createOrm, prepareSchema, type Orm } from '../db/orm';
import { createDeviceLayer, liveSessions, parseScriptConfig, type DeviceLayer, type RunScriptInput } from '../devices';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createServices } from '../services';
import { deviceTaskCommands } from '../services/device-task-commands';
import { deviceStartConfig, startDeviceWorkflow } from '../activities/device-start';
import { connectTemporal } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { createWorker } from '../worker/create-worker';
import { freePort } from '../test/support/ports';
import { describeMachine, mustEnv, runBench, waitUntil, withCleanup } from './support/run';
import { measureConcurrent, median, percentile, printTable } from './support/stats';

const TASKS = Number(process.env.BENCH_TASKS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const FIXTURES = path.resolve(__dirname, '../../test/devices/fixtures');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FAST = { waitTimeoutMs: 400, pollMs: 50, logLevel: 'silent' as const };

/** When each script's first command went out, per phone. */
const firstCommand = new Map<string, number>();

function timingLayer(): DeviceLayer {
  const real = createDeviceLayer(FAST);
  return {
    ...real,
    runScript: (input: RunScriptInput) =>
      real.runScript({
        ...input,
        onStep: (step) => {
          if (!firstCommand.has(input.device.serial)) firstCommand.set(input.device.serial, Date.now());
          input.onStep?.(step);
        },
      }),
  };
}

async function main(): Promise<void> {
  await withCleanup(async (cleanup) => {
    console.log(`Device task benchmark: ${TASKS} tasks per request × ${ROUNDS} rounds, ${SAMPLES} timing samples`);
    console.log(`Machine: ${describeMachine()}; client, API, worker, Temporal and Appium share it`);
    const devServer = await startDevServer({ cliPath: mustEnv('TEMPORAL_CLI'), port: await freePort() });
    cleanup.push(() => devServer.stop());
    const appium = await startAppium();
    cleanup.push(() => appium.close());
    const { orm, dispose, label } = await openDatabase();
    cleanup.push(dispose);

    const env = {
      LOG_LEVEL: 'silent',
      TEMPORAL_TASK_QUEUE: 'bench-device',
      APPIUM_URL: appium.url,
      DEVICE_LIMIT: '10000',
      ...(process.env.BENCH_MYSQL_URL ? { DATABASE_URL: process.env.BENCH_MYSQL_URL } : {}),
    };
    const config = loadConfig(env);
    const services = createServices(orm);
    const temporal = await connectTemporal(devServer.address, 'default');
    cleanup.push(() => temporal.close());

    // The API, on a queue no worker polls: creation is measured alone, as the baseline is.
    const createConfig = { ...config, temporal: { ...config.temporal, taskQueue: 'bench-device-create' } };
    const server = http.createServer(
      buildApp({
        config: createConfig,
        orm,
        services,
        log: createLogger('silent'),
        metrics: new Registry(),
        temporal: { client: temporal.client, check: temporal.check },
        events: createEvents(orm, createConfig, createLogger('silent')),
        lifecycle: { shuttingDown: false },
      }).callback(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json()) as { code: number; data: any };
      if (json.code !== 0) throw new Error(`${method} ${url}: ${JSON.stringify(json)}`);
      return json.data;
    };

    // 1. Creation: 100 tasks in one request vs 100 bare workflow starts.
    const phones: string[] = [];
    for (let i = 0; i < TASKS; i++) phones.push(await addPhone(api, `BENCH-C-${i}`, 'warmup.xml'));
    const created: number[] = [];
    const requestMs: number[] = [];
    const bareMs: number[] = [];
    const bareStartMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now();
      const data = await api('POST', '/api/v1/task', { serials: phones, script_name: 'account_warmup', script_config: { task_duration: 1 } });
      requestMs.push(performance.now() - t0);
      created.push(...data.task_ids);

      const t1 = performance.now();
      const bare = await measureConcurrent(TASKS, 16, (i) =>
        temporal.client.workflow.start('deviceTask', { workflowId: `bench-bare-${round}-${i}`, taskQueue: 'bench-device-create', args: [bareInput(i)] }),
      );
      bareMs.push(performance.now() - t1);
      bareStartMs.push(...bare.ms);
    }
    printTable(
      `Creating ${TASKS} tasks (${label}, Temporal dev server in memory, ${ROUNDS} rounds)`,
      ['approach', 'tasks/s (median)', 'ms (median)', 'ms (p99)', 'share of baseline rate'],
      [
        [
          'POST /api/v1/task, one request',
          TASKS / (median(requestMs) / 1000),
          median(requestMs),
          percentile(requestMs, 99),
          median(bareMs) / median(requestMs),
        ],
        [`baseline: ${TASKS} bare workflow starts, 16 at a time`, TASKS / (median(bareMs) / 1000), median(bareMs), percentile(bareMs, 99), 1],
      ],
    );
    console.log(`  one bare start: median ${median(bareStartMs).toFixed(1)} ms, p99 ${percentile(bareStartMs, 99).toFixed(1)} ms`);
    await terminateAll(temporal.client, [
      ...created.map((id) => `device-${id}`),
      ...Array.from({ length: ROUNDS * TASKS }, (_, k) => `bench-bare-${Math.floor(k / TASKS)}-${k % TASKS}`),
    ]);

    // A worker for the rest, with the real device layer against the fake driver.
    const connection = await NativeConnection.connect({ address: devServer.address });
    const worker = await createWorker({
      connection,
      namespace: 'default',
      taskQueue: 'bench-device',
      activities: createActivities({ services, client: temporal.client, config, deviceLayer: timingLayer() }),
    });
    const running = worker.run();
    cleanup.push(async () => {
      worker.shutdown();
      await running;
      await connection.close();
    });
    const commands = deviceTaskCommands({ services, client: temporal.client, start: deviceStartConfig(config) });

    // 2. Due instant → first Appium command: all due at once (a burst), then one at a time.
    const parsed = parseScriptConfig('account_warmup', { task_duration: 1 });
    if (!parsed.ok) throw new Error(parsed.message);
    const dueLag = async (prefix: string, spacingMs: number) => {
      const serials: string[] = [];
      for (let i = 0; i < SAMPLES; i++) serials.push(await addPhone(api, `${prefix}-${i}`, 'warmup.xml'));
      const first = Date.now() + 4000;
      const rows = await Promise.all(
        serials.map((serial, i) =>
          services.deviceTasks
            .create({
              serials: [serial],
              scriptName: 'account_warmup',
              configs: [parsed.config],
              enableMultiAccount: false,
              runAt: first + i * spacingMs,
              minIntervalSeconds: 0,
              maxIntervalSeconds: 0,
              source: 'api',
            })
            .then(([t]) => t),
        ),
      );
      await Promise.all(rows.map((t) => startDeviceWorkflow(temporal.client, deviceStartConfig(config), t)));
      await waitUntil(`every ${prefix} task started`, 120_000, 100, async () => serials.every((s) => firstCommand.has(s)));
      return rows.map((t) => (firstCommand.get(t.serial)! - t.runAt!) / 1000);
    };
    const burst = await dueLag('BENCH-S', 0);
    const staggered = await dueLag('BENCH-T', 500);

    const directLag: number[] = [];
    const directDue = Date.now() + 1500;
    await Promise.all(
      Array.from({ length: SAMPLES }, async (_, i) => {
        await sleep(directDue - Date.now());
        let first: number | undefined;
        await createDeviceLayer(FAST).runScript({
          appiumUrl: appium.url,
          device: { serial: `BENCH-D-${i}`, capabilities: fakeCaps('warmup.xml') },
          scriptName: 'account_warmup',
          config: parsed.config,
          signal: new AbortController().signal,
          onStep: () => void (first ??= Date.now()),
        });
        directLag.push((first! - directDue) / 1000);
      }),
    );
    printTable(
      `Due instant (start_time) → the script's first Appium command (${SAMPLES} tasks on ${SAMPLES} phones)`,
      ['approach', 'median s', 'p99 s', 'max s'],
      [
        ['taskhub, all due at once', median(burst), percentile(burst, 99), Math.max(...burst)],
        ['taskhub, due 0.5 s apart', median(staggered), percentile(staggered, 99), Math.max(...staggered)],
        ['baseline: device layer started by a local timer, all at once', median(directLag), percentile(directLag, 99), Math.max(...directLag)],
      ],
    );

    // 3. Stop latency on running warm-ups.
    const stopPhones: string[] = [];
    for (let i = 0; i < SAMPLES; i++) stopPhones.push(await addPhone(api, `BENCH-X-${i}`, 'warmup.xml'));
    const long = await commands.create({
      serials: stopPhones,
      scriptName: 'account_warmup',
      scriptConfig: { task_duration: 600, min_duration: 0.2, max_duration: 0.4 },
    });
    await waitUntil('every warm-up is talking to its phone', 60_000, 100, async () => stopPhones.every((s) => firstCommand.has(s)));
    await sleep(1000);
    const sessionClosed: number[] = [];
    const failedVisible: number[] = [];
    await Promise.all(
      long.map(async (task) => {
        const t0 = performance.now();
        await api('POST', `/api/v1/task/${task.id}/stop`);
        let closedAt: number | undefined;
        for (let i = 0; i < 600; i++) {
          if (closedAt === undefined && !liveSessions().some((s) => s.serial === task.serial)) closedAt = performance.now();
          const view = await api('GET', `/api/v1/task/${task.id}`);
          if (view.status === 3 && closedAt !== undefined) {
            sessionClosed.push((closedAt - t0) / 1000);
            failedVisible.push((performance.now() - t0) / 1000);
            return;
          }
          await sleep(50);
        }
        throw new Error(`task ${task.id} did not stop`);
      }),
    );
    const directStop: number[] = [];
    await Promise.all(
      Array.from({ length: SAMPLES }, async (_, i) => {
        const abort = new AbortController();
        let started = false;
        const run = createDeviceLayer(FAST)
          .runScript({
            appiumUrl: appium.url,
            device: { serial: `BENCH-Y-${i}`, capabilities: fakeCaps('warmup.xml') },
            scriptName: 'account_warmup',
            config: { ...parsed.config, task_duration: 600 },
            signal: abort.signal,
            onStep: () => void (started = true),
          })
          .catch(() => undefined);
        for (let k = 0; k < 200 && !started; k++) await sleep(50);
        await sleep(1000);
        const t0 = performance.now();
        abort.abort();
        await run;
        directStop.push((performance.now() - t0) / 1000);
      }),
    );
    printTable(
      `Stop of a running warm-up (${SAMPLES} at once)`,
      ['measure', 'median s', 'p99 s', 'max s'],
      [
        ['taskhub: POST /stop → Appium session closed', median(sessionClosed), percentile(sessionClosed, 99), Math.max(...sessionClosed)],
        ['taskhub: POST /stop → task reads failed', median(failedVisible), percentile(failedVisible, 99), Math.max(...failedVisible)],
        ['baseline: abort the device layer directly → session closed', median(directStop), percentile(directStop, 99), Math.max(...directStop)],
      ],
    );
  });
}

const fakeCaps = (fixture: string) => ({ platformName: 'Fake', 'appium:automationName': 'Fake', 'appium:app': path.join(FIXTURES, fixture) });

async function addPhone(api: (m: string, u: string, b?: unknown) => Promise<unknown>, serial: string, fixture: string): Promise<string> {
  await api('POST', '/api/v1/device', { serial, capabilities: fakeCaps(fixture) });
  return serial;
}

/** A workflow input as the API would send, for the bare-start baseline (never run: no worker polls that queue). */
function bareInput(i: number) {
  return {
    taskId: -1 - i,
    serial: `BARE-${i}`,
    scriptName: 'account_warmup',
    runAt: null,
    dueAt: 0,
    attempt: 0,
    spacingMs: { min: 0, max: 0 },
    autoRetry: { enabled: false, maxRetries: 0, minDelayMs: 0, maxDelayMs: 0 },
    scriptTimeoutMinutes: 1,
    lockCheckMs: 30_000,
  };
}

async function terminateAll(client: Awaited<ReturnType<typeof connectTemporal>>['client'], ids: string[]): Promise<void> {
  await measureConcurrent(ids.length, 16, (i) =>
    client.workflow
      .getHandle(ids[i])
      .terminate('benchmark round over')
      .catch(() => undefined),
  );
}

async function startAppium(): Promise<{ url: string; close(): Promise<void> }> {
  const { main: start } = require('appium') as { main: (args: Record<string, unknown>) => Promise<{ close(): Promise<void> }> };
  const port = await freePort();
  const server = await start({ port, address: '127.0.0.1', loglevel: 'error' });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

async function openDatabase(): Promise<{ orm: Orm; dispose: () => Promise<void>; label: string }> {
  if (process.env.BENCH_MYSQL_URL) {
    const orm = await createOrm({ kind: 'mysql', url: process.env.BENCH_MYSQL_URL }, { poolSize: 20 });
    await prepareSchema(orm);
    return { orm, dispose: () => orm.close(true), label: 'MySQL' };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-bench-'));
  const orm = await createOrm({ kind: 'sqlite', file: path.join(dir, 'taskhub.sqlite') });
  await prepareSchema(orm);
  return {
    orm,
    label: 'SQLite',
    dispose: async () => {
      await orm.close(true);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

runBench(main);
