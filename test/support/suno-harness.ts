import type request from 'supertest';
import { startSunoSimulator, type SunoSimulator } from '../simulators/suno';
import type { DbKind } from './databases';
import { startRelayHarness, type RelayHarness } from './relay-harness';

export { FAST_ENV } from './relay-harness';

export interface SunoHarness extends Omit<RelayHarness, 'ledger' | 'addChannel'> {
  sim: SunoSimulator;
  submit(action: string, body: object, headers?: Record<string, string>, key?: string): Promise<request.Response>;
  /** Polls /api/task/self until the task reaches one of `statuses` (bounded). */
  waitFor(taskId: string, statuses: string[], timeoutMs?: number): Promise<Record<string, unknown>>;
  ledger(taskId: string): Promise<[string, number][]>;
  /** A Suno channel (type 36) on the simulator, with overrides. */
  addChannel(body?: object): Promise<number>;
}

export async function startSunoHarness(kind: DbKind, env: Record<string, string> = {}): Promise<SunoHarness> {
  const sim = await startSunoSimulator({ stepMs: 250 });
  const base = await startRelayHarness(kind, env, { sunoPoller: true });
  const { http, user } = base;
  return Object.assign(Object.create(base) as RelayHarness, {
    sim,
    submit: (action: string, body: object, headers: Record<string, string> = {}, key = user.key) =>
      http()
        .post(`/suno/submit/${action}`)
        .set({ Authorization: `Bearer ${key}`, ...headers })
        .send(body),
    async waitFor(taskId: string, statuses: string[], timeoutMs = 30_000) {
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
    ledger: (taskId: string) => base.ledger(`suno:${taskId}`),
    addChannel: (body: object = {}) => base.addChannel({ type: 36, name: 'sim', key: sim.secret, base_url: sim.url, ...body }),
    async close() {
      await base.close();
      await sim.stop();
    },
  }) as SunoHarness;
}
