import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { DeviceTask, type IDeviceTask } from '../../db/entities';
import { createDeviceLayer, liveSessions, type DeviceLayer, type RunScriptInput } from '../../devices';
import { createTestApp, type TestApp } from '../support/app';
import { useAppium } from '../support/appium';
import type { DbKind } from '../support/databases';
import { startTestWorker, type TestWorker } from '../support/temporal';

/** Fixture screens of the device layer's own tests: they stay in step with its selectors. */
export const FIXTURES = path.resolve(__dirname, '../devices/fixtures');

/** Capability overrides that make a registered phone the fake driver showing `fixture`. */
export const fakeCapabilities = (fixture: string) => ({
  platformName: 'Fake',
  'appium:automationName': 'Fake',
  'appium:app': path.join(FIXTURES, fixture),
});

/**
 * Task statuses as GET /api/v1/task reports them. Literal on purpose: they are TikMatrix's
 * wire values, which the entity's enum must keep matching.
 */
export const PENDING = 0;
export const RUNNING = 1;
export const COMPLETED = 2;
export const FAILED = 3;

/** A warm-up that keeps the phone busy until stopped (or `seconds` pass). */
export const warmup = (seconds: number) => ({ task_duration: seconds, min_duration: 0.2, max_duration: 0.4 });

/** When each script really held an Appium session, per phone, as the worker ran it. */
export interface ScriptRun {
  serial: string;
  config: Record<string, unknown>;
  startedAt: number;
  firstCommandAt?: number;
  endedAt?: number;
  /** The Appium session the run held (one per phone at a time, so the phone's only live one at its first step). */
  sessionId?: string;
}

/** The real device layer (short waits for the fake driver's static screens), with every run recorded. */
export function recordingLayer(runs: ScriptRun[]): DeviceLayer {
  const real = createDeviceLayer({ waitTimeoutMs: 400, pollMs: 50, logLevel: 'silent' });
  return {
    ...real,
    async runScript(input: RunScriptInput) {
      const run: ScriptRun = { serial: input.device.serial, config: input.config, startedAt: Date.now() };
      runs.push(run);
      try {
        return await real.runScript({
          ...input,
          onStep: (step) => {
            run.firstCommandAt ??= Date.now();
            run.sessionId ??= liveSessions().find((s) => s.serial === run.serial)?.sessionId;
            input.onStep?.(step);
          },
        });
      } finally {
        run.endedAt = Date.now();
      }
    },
  };
}

export interface DeviceHarness {
  t: TestApp;
  worker: TestWorker;
  runs: ScriptRun[];
  http(): ReturnType<typeof request>;
  /** Registers a fake phone showing `fixture`; returns its (unique) serial. */
  addPhone(fixture?: string, body?: object): Promise<string>;
  addAccount(username: string, serial: string, body?: object): Promise<void>;
  /** POST /api/v1/task that must succeed; returns the new ids. */
  create(body: object): Promise<number[]>;
  get(id: number): Promise<Record<string, unknown>>;
  /** POST /api/v1/task/:id/stop that must be accepted. */
  stop(id: number): Promise<void>;
  /** DELETE /api/v1/task/:id that must succeed. */
  remove(id: number): Promise<void>;
  /** The row itself, with millisecond times. */
  row(id: number): Promise<IDeviceTask | null>;
  /** Polls GET /api/v1/task/:id until `done` holds (bounded in time and rounds). */
  waitFor(id: number, done: (task: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  waitForStatus(id: number, statuses: number[], timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The app over a real database, and a worker with the real device layer, against the
 * suite's Temporal dev server. Task ids start at a random offset: `device-<id>` is unique
 * per Temporal namespace, which both databases' suites share.
 */
export async function startDeviceHarness(kind: DbKind, env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<DeviceHarness> {
  const fullEnv = { DEVICE_LOCK_CHECK_SECONDS: '2', ...env };
  const t = await createTestApp(kind, fullEnv);
  await offsetTaskIds(t, randomInt(1_000_000, 2_000_000_000));
  const runs: ScriptRun[] = [];
  const startWorker = () => startTestWorker(t.deps.services, { taskQueue: t.deps.config.temporal.taskQueue, env: fullEnv, deviceLayer: recordingLayer(runs) });
  const worker = options.worker === false ? undefined : await startWorker();
  const http = () => request(t.app.callback());

  async function get(id: number) {
    const res = await http().get(`/api/v1/task/${id}`);
    if (res.body.code !== 0) throw new Error(`task ${id}: ${JSON.stringify(res.body)}`);
    return res.body.data as Record<string, unknown>;
  }

  async function waitFor(id: number, done: (task: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last: Record<string, unknown> | undefined;
    for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
      last = await get(id);
      if (done(last)) return last;
      await sleep(100);
    }
    throw new Error(`task ${id} did not get there in ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
  }

  return {
    t,
    get worker() {
      if (!worker) throw new Error('this harness runs without a worker');
      return worker;
    },
    runs,
    http,
    async addPhone(fixture = 'warmup.xml', body = {}) {
      const serial = `FAKE-${randomBytes(5).toString('hex')}`;
      const res = await http()
        .post('/api/v1/device')
        .send({ serial, name: fixture, capabilities: fakeCapabilities(fixture), ...body });
      if (res.body.code !== 0) throw new Error(`device: ${JSON.stringify(res.body)}`);
      return serial;
    },
    async addAccount(username, serial, body = {}) {
      const res = await http()
        .post('/api/v1/account')
        .send({ username, device: serial, ...body });
      if (res.body.code !== 0) throw new Error(`account: ${JSON.stringify(res.body)}`);
    },
    async create(body) {
      const res = await http().post('/api/v1/task').send(body);
      if (res.body.code !== 0) throw new Error(`create: ${JSON.stringify(res.body)}`);
      return res.body.data.task_ids as number[];
    },
    get,
    async stop(id) {
      const res = await http().post(`/api/v1/task/${id}/stop`);
      if (res.body.code !== 0) throw new Error(`stop ${id}: ${JSON.stringify(res.body)}`);
    },
    async remove(id) {
      const res = await http().delete(`/api/v1/task/${id}`);
      if (res.body.code !== 0) throw new Error(`delete ${id}: ${JSON.stringify(res.body)}`);
    },
    row: (id) => t.db.orm.em.fork().findOne(DeviceTask, { id }, { disableIdentityMap: true }),
    waitFor,
    waitForStatus: (id, statuses, timeoutMs) => waitFor(id, (task) => statuses.includes(task.status as number), timeoutMs),
    async close() {
      await worker?.stop();
      await t.close();
    },
  };
}

/** Set in beforeAll: read them inside tests and hooks, not while the suite is being declared. */
export interface DeviceHarnessContext {
  h: DeviceHarness;
  appium: { url: string };
}

/**
 * For a describe block: a shared Appium server and a harness that talks to it, started before
 * its tests and closed after them. `env` is added to the harness's (APPIUM_URL is set here).
 */
export function useDeviceHarness(kind: DbKind, env: Record<string, string> = {}): DeviceHarnessContext {
  const ctx = {} as DeviceHarnessContext;
  let appium: Awaited<ReturnType<typeof useAppium>> | undefined;
  beforeAll(async () => {
    appium = await useAppium();
    ctx.appium = appium;
    ctx.h = await startDeviceHarness(kind, { APPIUM_URL: appium.url, ...env });
  });
  afterAll(async () => {
    await ctx.h?.close();
    await appium?.release();
  });
  return ctx;
}

/** Starts `device_tasks` ids at `start`: `device-<id>` workflow ids are unique per namespace, which every suite shares. */
export async function offsetTaskIds(t: TestApp, start: number): Promise<void> {
  const conn = t.db.orm.em.getConnection();
  if (t.db.kind === 'mysql') await conn.execute(`alter table device_tasks auto_increment = ${start}`);
  else await conn.execute(`insert into sqlite_sequence (name, seq) values ('device_tasks', ${start})`);
}

/** Sessions the Appium server itself still has open for this phone (needs session discovery, which the test server enables). */
export async function appiumSessionsOf(appiumUrl: string, serial: string): Promise<string[]> {
  const res = await fetch(new URL('appium/sessions', appiumUrl));
  const body = (await res.json()) as { value?: { id: string; capabilities?: Record<string, unknown> }[] };
  if (!res.ok || !Array.isArray(body.value)) throw new Error(`GET /appium/sessions: ${res.status} ${JSON.stringify(body)}`);
  return body.value.filter((s) => s.capabilities?.udid === serial || s.capabilities?.['appium:udid'] === serial).map((s) => s.id);
}

/** Sessions open for a phone, as this process's device layer and as the Appium server see them. */
export async function openSessionsOf(appiumUrl: string, serial: string): Promise<string[]> {
  const local = liveSessions()
    .filter((s) => s.serial === serial)
    .map((s) => s.sessionId);
  return [...new Set([...local, ...(await appiumSessionsOf(appiumUrl, serial))])];
}
