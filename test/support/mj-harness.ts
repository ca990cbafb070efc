import type request from 'supertest';
import { startMidjourneySimulator, type MidjourneySimulator, type MidjourneySimulatorOptions } from '../simulators/midjourney';
import type { DbKind } from './databases';
import { startRelayHarness, type RelayHarness } from './relay-harness';

export interface MjReply {
  code: number;
  description: string;
  result: string | null;
  properties: Record<string, unknown>;
}

export interface MjHarness extends Omit<RelayHarness, 'ledger' | 'addChannel'> {
  sim: MidjourneySimulator;
  /** `POST /mj/submit/:route` (or `/:mode/mj/…`) with the user's key as Bearer. */
  submit(route: string, body: object, opts?: { key?: string; mode?: string; headers?: Record<string, string> }): Promise<request.Response & { body: MjReply }>;
  /** Polls `/mj/task/:id/fetch` until the task reaches one of `statuses` (bounded). */
  waitFor(mjId: string, statuses: string[], opts?: { key?: string; timeoutMs?: number }): Promise<Record<string, any>>;
  ledger(mjId: string): Promise<[string, number][]>;
  /** A midjourney-proxy channel (type 2) on the simulator, with overrides. */
  addChannel(body?: object): Promise<number>;
}

/** 150 ms progress steps: an imagine goes 0% → 100% in under a second of upstream time. */
export async function startMjHarness(kind: DbKind, env: Record<string, string> = {}, simOptions: MidjourneySimulatorOptions = {}): Promise<MjHarness> {
  const sim = await startMidjourneySimulator({ stepMs: 150, imageBytes: 64 * 1024, ...simOptions });
  const base = await startRelayHarness(kind, { SERVER_ADDRESS: 'http://relay.test', ...env }, { mjPoller: true });
  const { http, user } = base;
  return Object.assign(Object.create(base) as RelayHarness, {
    sim,
    submit: (route: string, body: object, opts: { key?: string; mode?: string; headers?: Record<string, string> } = {}) =>
      http()
        .post(`${opts.mode ? `/${opts.mode}` : ''}/mj/submit/${route}`)
        .set({ Authorization: `Bearer ${opts.key ?? user.key}`, ...opts.headers })
        .send(body),
    async waitFor(mjId: string, statuses: string[], opts: { key?: string; timeoutMs?: number } = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
      let last: Record<string, any> | undefined;
      for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
        const res = await http()
          .get(`/mj/task/${mjId}/fetch`)
          .set('mj-api-secret', opts.key ?? user.key);
        last = res.body;
        if (res.status === 200 && statuses.includes(last?.status)) return last!;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`task ${mjId} did not reach ${statuses.join('/')}; last seen ${JSON.stringify(last)}`);
    },
    ledger: (mjId: string) => base.ledger(`midjourney:${mjId}`),
    addChannel: (body: object = {}) => base.addChannel({ type: 2, name: 'mj-sim', key: sim.secret, base_url: sim.url, ...body }),
    async close() {
      await base.close();
      await sim.stop();
    },
  }) as MjHarness;
}
