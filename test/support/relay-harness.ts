import request from 'supertest';
import { QuotaEntry, User } from '../../db/entities';
import { createTestApp, type TestApp } from './app';
import type { DbKind } from './databases';
import { startTestWorker, type TestWorker, type TestWorkerOptions } from './temporal';

export interface TestUser {
  id: number;
  accessToken: string;
  key: string;
}

/** What every generation-relay suite needs: the app, a worker, users with keys, and the ledger. */
export interface RelayHarness {
  t: TestApp;
  readonly worker: TestWorker;
  /** A user with 1,000,000 quota and an sk- key. */
  user: TestUser;
  http(): ReturnType<typeof request>;
  /** Authenticated as root. */
  root(req: request.Test): request.Test;
  quota(userId?: number): Promise<number>;
  /** Ledger entries `[kind, amount]` of one task reference (`suno:task_…`, `midjourney:…`). */
  ledger(taskRef: string): Promise<[string, number][]>;
  addChannel(body: object): Promise<number>;
  newUser(quota: number): Promise<TestUser>;
  restartWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Options chosen so a whole lifecycle takes a couple of seconds: 1 s polling, 12 s give-up time. */
export const FAST_ENV = { TASK_POLL_INTERVAL: '1', TASK_FALLBACK_SECONDS: '4', TASK_TIMEOUT_MINUTES: '0.2' };

export async function startRelayHarness(
  kind: DbKind,
  env: Record<string, string>,
  pollers: Pick<TestWorkerOptions, 'sunoPoller' | 'mjPoller'>,
): Promise<RelayHarness> {
  const fullEnv = { ...FAST_ENV, ...env };
  const t = await createTestApp(kind, fullEnv);
  const taskQueue = t.deps.config.temporal.taskQueue;
  let worker = await startTestWorker(t.deps.services, { taskQueue, env: fullEnv, ...pollers });
  const http = () => request(t.app.callback());
  const root = (req: request.Test) => req.set('Authorization', `Bearer ${t.rootToken}`);

  async function newUser(quota: number): Promise<TestUser> {
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
    user,
    http,
    root,
    newUser,
    async addChannel(body) {
      const res = await root(http().post('/api/channel/')).send(body);
      if (res.status !== 200) throw new Error(`channel: ${JSON.stringify(res.body)}`);
      return res.body.data.id;
    },
    async quota(userId = user.id) {
      return (await t.db.orm.em.fork().findOneOrFail(User, { id: userId }, { disableIdentityMap: true })).quota;
    },
    async ledger(taskRef) {
      const rows = await t.db.orm.em.fork().find(QuotaEntry, { taskRef }, { orderBy: { id: 'asc' } });
      return rows.map((r) => [r.kind, r.amount]);
    },
    async restartWorker() {
      await worker.stop();
      // The pollers are workflows: they survive the worker and resume on the new one.
      worker = await startTestWorker(t.deps.services, { taskQueue, env: fullEnv });
    },
    async close() {
      for (const poller of ['suno-poller', 'mj-poller']) {
        await worker.temporal.client.workflow
          .getHandle(`${poller}-${taskQueue}`)
          .terminate('test over')
          .catch(() => undefined);
      }
      await worker.stop();
      await t.close();
    },
  };
}
