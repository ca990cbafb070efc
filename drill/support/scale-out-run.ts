import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { bundleWorkflowCode } from '@temporalio/worker';
import { connectTemporal } from '../../temporal/connection';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { freePort } from '../../test/support/ports';
import { startMidjourneySimulator } from '../../test/simulators/midjourney';
import { startSunoSimulator } from '../../test/simulators/suno';
import type { LedgerAuditResult } from '../../workflows/ledger-audit';
import { ApiPool } from './api-pool';
import { startAppiumProcess } from './appium-process';
import { startAppiumRecorder } from './appium-recorder';
import { verify, type Check } from './checks';
import { fleet, type Member } from './fleet';
import { leftoverProcesses, startedGroup } from './groups';
import { queueWarmup, setUpTenant, submitImage, submitSong, warmupFixture, type Submitted } from './load';
import { startPrivateMariaDb } from './mariadb';
import { renderReport, type Disruption, type DrillFigures } from './report';
import { sleep, waitFor } from './wait';

const run = promisify(execFile);

/** How much load, for how long, and when each part is taken away (ms after the load begins). */
export interface DrillShape {
  name: string;
  waves: number;
  waveEveryMs: number;
  songsPerWave: number;
  imagesPerWave: number;
  /** Every `failEvery`-th generation task is told to fail upstream (and must be refunded). */
  failEvery: number;
  phones: number;
  /** Warm-ups queued on every phone in the first wave, and again half-way. */
  warmupsPerPhone: number;
  warmupSeconds: number;
  sunoStepMs: number;
  mjStepMs: number;
  killWorkerAt: number;
  killApiAt: number;
  mariaDbAt: number;
  mariaDbDownMs: number;
  temporalAt: number;
  /** A killed process is started again this long after it died. */
  restartAfterMs: number;
  settleTimeoutMs: number;
}

export const SHAPES: Record<'short' | 'full', DrillShape> = {
  // In `npm test`: every disruption once, with a small load, in about a minute.
  short: {
    name: 'short',
    waves: 8,
    waveEveryMs: 2500,
    songsPerWave: 2,
    imagesPerWave: 2,
    failEvery: 5,
    phones: 2,
    warmupsPerPhone: 3,
    warmupSeconds: 2,
    sunoStepMs: 1500,
    mjStepMs: 1000,
    killWorkerAt: 4000,
    killApiAt: 8000,
    mariaDbAt: 12_000,
    mariaDbDownMs: 4000,
    temporalAt: 21_000,
    restartAfterMs: 1500,
    settleTimeoutMs: 120_000,
  },
  // `npm run drill -- scale-out`: five times the tasks over about two minutes of load.
  full: {
    name: 'full',
    waves: 24,
    waveEveryMs: 3000,
    songsPerWave: 4,
    imagesPerWave: 4,
    failEvery: 5,
    phones: 4,
    warmupsPerPhone: 6,
    warmupSeconds: 3,
    sunoStepMs: 2500,
    mjStepMs: 1500,
    killWorkerAt: 10_000,
    killApiAt: 25_000,
    mariaDbAt: 40_000,
    mariaDbDownMs: 8000,
    temporalAt: 60_000,
    restartAfterMs: 3000,
    settleTimeoutMs: 240_000,
  },
};

export interface DrillOptions {
  shape: DrillShape;
  /** The compiled tree (`tsc -p tsconfig.bench.json`): the entry points run from here. */
  buildDir: string;
  /** The checkout: fixtures live under test/. */
  root: string;
  temporalCli: string;
  /** A workflow bundle already built (Jest's global setup has one); otherwise bundled here. */
  workflowBundle?: string;
  log?: (line: string) => void;
}

export interface DrillResult {
  ok: boolean;
  checks: Check[];
  figures: DrillFigures;
  report: string;
  /** Logs of every process; kept when the drill failed. */
  logDir: string;
  /** Processes the drill started that still ran after it cleaned up: none, or it is a bug. */
  leftovers: string[];
}

const ADMIN_TOKEN = 'drill-admin-token-0123456789abcdef';
const DATABASE = 'taskhub_drill';
const TASK_QUEUE = 'drill';

/**
 * The scale-out drill: 2 APIs and 2 workers (the production entry points) against one
 * Temporal dev server and one MariaDB, under a mixed load of Suno, Midjourney and device
 * tasks; one worker and one API are SIGKILLed and restarted, MariaDB and Temporal are each
 * restarted once; then every promise is checked. Every process it starts ends with it.
 */
export async function runScaleOutDrill(opts: DrillOptions): Promise<DrillResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const shape = opts.shape;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-drill-'));
  const logDir = path.join(tmp, 'logs');
  fs.mkdirSync(logDir);
  const cleanup: (() => Promise<unknown>)[] = [];
  const drillStarted = Date.now();
  let ok = false;
  let result: Omit<DrillResult, 'leftovers'>;
  try {
    // 1. The shared parts: a MariaDB of the drill's own, a Temporal dev server on a SQLite file.
    log(`drill: parts in ${tmp}`);
    const db = await startPrivateMariaDb(tmp, await freePort());
    cleanup.push(() => db.close());
    const admin = mysql.createPool({ uri: db.url, connectionLimit: 2 });
    await admin.query(`create database ${DATABASE}`);
    await admin.end();
    const temporalPort = await freePort();
    const temporalOptions = { cliPath: opts.temporalCli, port: temporalPort, dbFile: path.join(tmp, 'temporal.sqlite') };
    let temporal: DevServer = await startDevServer(temporalOptions);
    startedGroup(temporal.watchdog.pid);
    cleanup.push(() => temporal.stop());

    const suno = await startSunoSimulator({ stepMs: shape.sunoStepMs });
    cleanup.push(() => suno.stop());
    const midjourney = await startMidjourneySimulator({ stepMs: shape.mjStepMs });
    cleanup.push(() => midjourney.stop());
    const appium = await startAppiumProcess(opts.root, await freePort(), path.join(logDir, 'appium.log'));
    cleanup.push(() => appium.close());
    const recorder = await startAppiumRecorder(appium.url);
    cleanup.push(() => recorder.close());

    let bundle = opts.workflowBundle;
    if (!bundle) {
      log('drill: bundling the workflows');
      const { code } = await bundleWorkflowCode({ workflowsPath: path.join(opts.buildDir, 'workflows/index.js'), logger: quietLogger });
      bundle = path.join(tmp, 'workflows.js');
      fs.writeFileSync(bundle, code);
    }

    // 2. The fleet, configured as production would be, with short timings.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      DATABASE_URL: `${db.url}/${DATABASE}`,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      ADMIN_TOKEN,
      APPIUM_URL: recorder.url,
      TASKHUB_WORKFLOW_BUNDLE: bundle,
      LOG_LEVEL: 'info',
      TASK_POLL_INTERVAL: '1',
      TASK_TIMEOUT_MINUTES: '10',
      UPSTREAM_TIMEOUT_SECONDS: '5',
      MJ_SUBMIT_WAIT_SECONDS: '5',
      DEVICE_LOCK_CHECK_SECONDS: '2',
      APPIUM_WAIT_TIMEOUT_MS: '2000',
      // A script whose worker was killed fails by heartbeat timeout; it is retried, as an operator would want.
      DEVICE_TASK_AUTO_RETRY: 'true',
      DEVICE_RETRY_DELAY_MIN_SECONDS: '1',
      DEVICE_RETRY_DELAY_MAX_SECONDS: '2',
    };
    await run(process.execPath, [path.join(opts.buildDir, 'db/migrate.js')], { env, timeout: 120_000 });
    const members = fleet(opts.buildDir, logDir, env, [await freePort(), await freePort()], 2);
    cleanup.push(() => Promise.all(members.map((m) => m.stop())));
    log(`drill: starting ${members.map((m) => m.name).join(', ')}`);
    await Promise.all(members.map((m) => m.start()));
    const apis = members.filter((m) => m.role === 'api');
    const [api1] = apis;
    const worker1 = members.find((m) => m.name === 'worker-1')!;
    const pool = new ApiPool(() => apis.map((a) => a.url));

    const tenant = await setUpTenant(
      pool,
      ADMIN_TOKEN,
      { suno: { url: suno.url, secret: suno.secret }, midjourney: { url: midjourney.url, secret: midjourney.secret } },
      shape.phones,
      warmupFixture(opts.root),
      1_000_000_000,
    );

    // 3. Load and disruptions, side by side.
    const t0 = Date.now();
    const submitted: Submitted[] = [];
    const loadErrors: string[] = [];
    const load = (async () => {
      let n = 0;
      for (let wave = 0; wave < shape.waves; wave++) {
        const jobs: Promise<Submitted[] | Submitted>[] = [];
        for (let i = 0; i < shape.songsPerWave; i++, n++) jobs.push(submitSong(pool, tenant, n, n % shape.failEvery === shape.failEvery - 1));
        for (let i = 0; i < shape.imagesPerWave; i++, n++) jobs.push(submitImage(pool, tenant, n, n % shape.failEvery === shape.failEvery - 1));
        if (wave === 0 || wave === Math.floor(shape.waves / 2)) {
          for (const serial of tenant.phones) for (let i = 0; i < shape.warmupsPerPhone; i++) jobs.push(queueWarmup(pool, serial, shape.warmupSeconds));
        }
        for (const result of await Promise.allSettled(jobs)) {
          if (result.status === 'fulfilled') submitted.push(...[result.value].flat());
          else loadErrors.push(String(result.reason));
        }
        await sleep(Math.max(0, t0 + (wave + 1) * shape.waveEveryMs - Date.now()));
      }
    })();

    const allHealthy = () => Promise.all(apis.map((a) => a.healthy())).then((r) => r.every(Boolean));
    const disruptions: Disruption[] = [];
    /** When a worker was SIGKILLed (epoch ms): a submit it had in flight may reach the upstream twice. */
    const workerKills: number[] = [];
    const at = async (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
    let probes: { status: number }[] = [];
    const disrupt = async (
      what: string,
      take: () => Promise<void>,
      bringBack: () => Promise<void>,
      downMs: number,
      whileDown?: (until: number) => Promise<void>,
    ) => {
      const start = Date.now();
      log(`drill: ${what}`);
      await take();
      await Promise.all([sleep(downMs), whileDown?.(start + downMs)]);
      const back = Date.now();
      await bringBack();
      await waitFor(`every API healthy after ${what}`, 120_000, 200, allHealthy);
      const recovered = Date.now();
      disruptions.push({ what, at: start - t0, downMs: back - start, recoveredMs: recovered - start, refused: pool.refusedBetween(start, recovered) });
    };
    const chaos = (async () => {
      await at(shape.killWorkerAt);
      await disrupt(
        'SIGKILL worker-1, then start it again',
        () => (workerKills.push(Date.now()), worker1.kill9()),
        () => worker1.start(),
        shape.restartAfterMs,
      );
      await at(shape.killApiAt);
      await disrupt(
        'SIGKILL api-1, then start it again',
        () => api1!.kill9(),
        () => api1!.start(),
        shape.restartAfterMs,
      );
      await at(shape.mariaDbAt);
      await disrupt(
        'restart MariaDB (stopped, then started)',
        () => db.stop(),
        () => db.start(),
        shape.mariaDbDownMs,
        async (until) => {
          probes = await probe(apis, tenant.accessToken, until);
        },
      );
      await at(shape.temporalAt);
      await disrupt(
        'restart the Temporal server',
        () => temporal.stop(),
        async () => {
          temporal = await startDevServer(temporalOptions);
          startedGroup(temporal.watchdog.pid);
        },
        shape.restartAfterMs,
      );
    })();
    await Promise.all([load, chaos]);
    const lastDisruptionEnded = Date.now();
    if (loadErrors.length) throw new Error(`the load itself failed: ${loadErrors.slice(0, 3).join('; ')}`);

    // 4. Everything settles: every row final.
    const dbPool = mysql.createPool({ uri: `${db.url}/${DATABASE}`, connectionLimit: 2, supportBigNumbers: true, bigNumberStrings: false });
    cleanup.push(() => dbPool.end());
    log(`drill: ${submitted.length} tasks submitted; waiting until every one is final`);
    await waitFor('every task final', shape.settleTimeoutMs, 500, async () => {
      const [[open]] = (await dbPool.query(
        `select (select count(*) from tasks where status not in ('SUCCESS', 'FAILURE'))
              + (select count(*) from midjourneys where status not in ('SUCCESS', 'FAILURE'))
              + (select count(*) from device_tasks where status not in (2, 3)) as open`,
      )) as unknown as [[{ open: number }]];
      return Number(open.open) === 0;
    }).catch((err) => log(`drill: ${(err as Error).message}`));
    const settledMs = Date.now() - lastDisruptionEnded;

    // 5. The checks, and the ledger audit through the real workflow.
    const client = await connectTemporal(temporal.address, 'default');
    cleanup.push(() => client.close());
    const audit = await client.client.workflow.execute<() => Promise<LedgerAuditResult>>('ledgerAudit', {
      taskQueue: TASK_QUEUE,
      workflowId: `drill-ledger-audit-${Date.now()}`,
      args: [100] as never,
    });
    const { checks, tally } = await verify(dbPool, { suno, midjourney }, recorder, audit, workerKills, t0);
    const figures: DrillFigures = {
      shape: shape.name,
      apis: apis.length,
      workers: members.length - apis.length,
      tally,
      disruptions,
      attempts: pool.attempts.length,
      refused: pool.attempts.filter((a) => a.outcome !== 'ok' && a.outcome !== 'error').length,
      ambiguous: pool.ambiguous,
      settledMs,
      totalMs: Date.now() - drillStarted,
    };
    checks.push(outageAnswers(probes));
    ok = checks.every((c) => c.ok);
    result = { ok, checks, figures, report: renderReport(figures, checks), logDir };
  } finally {
    for (const step of cleanup.reverse()) await step().catch((err) => log(`drill cleanup: ${String(err)}`));
    if (!ok) log(`drill: logs kept in ${logDir}`);
  }
  const leftovers = leftoverProcesses();
  if (leftovers.length === 0 && ok) fs.rmSync(tmp, { recursive: true, force: true });
  return { ...result, ok: ok && leftovers.length === 0, leftovers };
}

/** While MariaDB is down, every API must say so with a 503 (and never a 500), in its family's envelope. */
function outageAnswers(probes: { status: number }[]): Check {
  const statuses: Record<string, number> = {};
  for (const p of probes) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
  const ok = probes.length > 0 && probes.every((p) => p.status === 503);
  return {
    name: 'APIs answer 503 while MariaDB is down',
    ok,
    detail: `${probes.length} probes of GET /api/user/self during the outage: ${JSON.stringify(statuses)}`,
  };
}

/** Asks every API every 300 ms until `until` what a dashboard would ask; returns the statuses. */
async function probe(apis: Member[], accessToken: string, until: number): Promise<{ status: number }[]> {
  const seen: { status: number }[] = [];
  for (let i = 0; i < 1000 && Date.now() < until; i++) {
    for (const api of apis) {
      const status = await fetch(`${api.url}/api/user/self`, { headers: { Authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(5000) }).then(
        (r) => r.status,
        () => 0,
      );
      seen.push({ status });
    }
    await sleep(300);
  }
  return seen;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (msg: string) => console.error(msg) };
