import request from 'supertest';
import { QuotaEntry, User } from '../../db/entities';
import { startSunoSimulator, type SunoSimulator } from '../simulators/suno';
import { createTestApp, type TestApp } from './app';
import type { DbKind } from './databases';
import { startTestWorker, type TestWorker } from './temporal';

export interface SunoHarness {
  t: TestApp;
  worker: TestWorker;
  sim: SunoSimulator;
  /** A user with 1,000,000 quota and an sk- key. */
  user: { id: number; accessToken: string; key: string };
  http(): ReturnType<typeof request>;
  submit(action: string, body: object, headers?: Record<string, string>, key?: string): Promise<request.Response>;
  /** Polls /api/task/self until the task reaches one of `statuses` (bounded). */
  waitFor(taskId: string, statuses: string[], timeoutMs?: number): Promise<Record<string, unknown>>;
  quota(userId?: number): Promise<number>;
  ledger(taskId: string): Promise<[string, number][]>;
  addChannel(body?: object): Promise<number>;
  newUser(quota: number): Promise<{ id: number; accessToken: string; key: string }>;
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Options chosen so a whole lifecycle takes a couple of seconds: 1 s polling, 12 s give-up time. */
export const FAST_ENV = { TASK_POLL_INTERVAL: '1', TASK_TIMEOUT_MINUTES: '0.2' };

export async function startSunoHarness(kind: DbKind, env: Record<string, string> = {}): Promise<SunoHarness> {
  const fullEnv = { ...FAST_ENV, ...env };
  const sim = await startSunoSimulator({ stepMs: 250 });
  const t = await createTestApp(kind, fullEnv);
  const taskQueue = t.deps.config.temporal.taskQueue;
  let worker = await startTestWorker(t.deps.services, { taskQueue, env: fullEnv, sunoPoller: true });
  const http = () => request(t.app.callback());
  const root = (req: request.Test) => req.set('Authorization', `Bearer ${t.rootToken}`);

  async function addChannel(body: object = {}): Promise<number> {
    const res = await root(http().post('/api/channel/')).send({ type: 36, name: 'sim', key: sim.secret, base_url: sim.url, ...body });
    if (res.status !== 200) throw new Error(`channel: ${JSON.stringify(res.body)}`);
    return res.body.data.id;
  }

  async function newUser(quota: number) {
    const created = await root(http().post('/api/user/')).send({ username: `u_${Math.random().toString(36).slice(2, 10)}`, password: 'password123', quota });
    const accessToken = created.body.data.access_token as string;
    const token = await http().post('/api/token/').set('Authorization', `Bearer ${accessToken}`).send({ name: 'relay', unlimited_quota: true });
    return { id: created.body.data.id as number, accessToken, key: token.body.data.key as string };
  }

  const user = await newUser(1_000_000);

  return {
    t,
    get worker() {
      return worker;
    },
    sim,
    user,
    http,
    addChannel,
    newUser,
    submit: (action, body, headers = {}, key = user.key) =>
      http().post(`/suno/submit/${action}`).set({ Authorization: `Bearer ${key}`, ...headers }).send(body),
    async waitFor(taskId, statuses, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, unknown> | undefined;
      for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
        const res = await http().get('/api/task/self').query({ task_id: taskId }).set('Authorization', `Bearer ${user.accessToken}`);
        last = res.body.data?.items?.[0];
        if (last && statuses.includes(last.status as string)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`task ${taskId} did not reach ${statuses.join('/')} in ${timeoutMs} ms; last seen ${JSON.stringify(last)}`);
    },
    async quota(userId = user.id) {
      return (await t.db.orm.em.fork().findOneOrFail(User, { id: userId }, { disableIdentityMap: true })).quota;
    },
    async ledger(taskId) {
      const rows = await t.db.orm.em.fork().find(QuotaEntry, { taskRef: `suno:${taskId}` }, { orderBy: { id: 'asc' } });
      return rows.map((r) => [r.kind, r.amount]);
    },
    async restartWorker() {
      await worker.stop();
      worker = await startTestWorker(t.deps.services, { taskQueue, env: fullEnv });
    },
    async close() {
      await worker.temporal.client.workflow.getHandle(`suno-poller-${taskQueue}`).terminate('test over').catch(() => undefined);
      await worker.stop();
      await t.close();
      await sim.stop();
    },
  };
}
