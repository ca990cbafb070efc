import { type SunoTask } from './index';
import { STEP_MS, T0, useSimulator } from './test-helpers';

describe('Suno-API simulator', () => {
  const ctx = useSimulator();
  const { call, submitMusic, fetchBatch } = ctx.client;

  describe('stats', () => {
    it('counts requests per route and records the ids of each batch, until reset', async () => {
      const a = await submitMusic();
      const b = await submitMusic();
      await fetchBatch([a, b]);
      await fetchBatch([b]);
      await call(`/suno/fetch/${a}`);

      expect(ctx.sim.stats()).toMatchObject({
        since: T0,
        requests: { submit: 2, fetch_batch: 2, fetch_one: 1 },
        fetchBatches: [[a, b], [b]],
      });
      const overHttp = await call('/__sim/stats', { auth: null });
      expect(overHttp.json?.data).toEqual(ctx.sim.stats());

      ctx.advance(5000);
      ctx.sim.resetStats();
      expect(ctx.sim.stats()).toEqual({
        since: T0 + 5000,
        requests: { submit: 0, fetch_batch: 0, fetch_one: 0 },
        fetchBatches: [],
        faultsServed: 0,
        unauthorized: 0,
      });

      await fetchBatch([a]);
      await call('/__sim/stats/reset', { method: 'POST', auth: null });
      expect(ctx.sim.stats().requests.fetch_batch).toBe(0);
    });

    it('counts requests that were answered by a fault', async () => {
      ctx.sim.injectFaults('fetch', [{ status: 429 }]);
      await call('/suno/fetch', { body: { ids: ['x'] } });
      expect(ctx.sim.stats()).toMatchObject({ requests: { fetch_batch: 1 }, fetchBatches: [['x']], faultsServed: 1 });
    });
  });

  describe('control API', () => {
    it('queues faults, changes settings and forces transitions over HTTP', async () => {
      const queued = await call('/__sim/faults', { body: { group: 'submit', faults: [{ status: 429 }] }, auth: null });
      expect(queued.json?.data).toEqual({ submit: [{ status: 429 }], fetch: [] });
      expect((await call('/suno/submit/music', { body: { prompt: 'x' } })).status).toBe(429);

      const bad = await call('/__sim/faults', { body: { group: 'submit', faults: [{ status: 'x' }] }, auth: null });
      expect(bad.status).toBe(400);

      const config = await call('/__sim/config', { body: { defaultOutcome: 'stall' }, auth: null });
      expect(config.json?.data).toEqual({ stepMs: STEP_MS, defaultOutcome: 'stall' });

      const stuck = await submitMusic();
      const failed = await call(`/__sim/tasks/${stuck}/fail`, { body: { reason: 'gave up' }, auth: null });
      expect(failed.json?.data).toMatchObject({ status: 'FAILURE', fail_reason: 'gave up' });
      expect((await call(`/__sim/tasks/${stuck}/complete`, { method: 'POST', auth: null })).status).toBe(409);

      const inspected = await call(`/__sim/tasks/${stuck}`, { auth: null });
      expect(inspected.json?.data).toMatchObject({ outcome: 'stall', task: { task_id: stuck, status: 'FAILURE' } });
      expect(((await call('/__sim/tasks', { auth: null })).json?.data as SunoTask[]).length).toBe(1);

      await call('/__sim/reset', { method: 'POST', auth: null });
      expect(ctx.sim.tasks()).toHaveLength(0);
      expect(ctx.sim.settings().defaultOutcome).toBe('stall');
    });
  });
});
