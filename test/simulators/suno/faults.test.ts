import { useSimulator } from './test-helpers';

describe('Suno-API simulator', () => {
  const ctx = useSimulator();
  const { call, submitMusic, fetchBatch } = ctx.client;

  describe('request faults', () => {
    it('consumes queued submit faults in order: 429, 500, garbage, bad request, then recovers', async () => {
      ctx.sim.injectFaults('submit', [{ status: 429 }, { status: 500 }, { garbage: true }, { reject: 'bad request' }]);
      const body = { prompt: 'x' };

      const r429 = await call('/suno/submit/music', { body });
      expect(r429.status).toBe(429);
      expect(r429.json?.code).not.toBe('success');

      const r500 = await call('/suno/submit/music', { body });
      expect(r500.status).toBe(500);
      expect(r500.json?.code).not.toBe('success');

      const garbage = await call('/suno/submit/music', { body });
      expect(garbage.status).toBe(200);
      expect(garbage.json).toBeUndefined();
      expect(garbage.text.length).toBeGreaterThan(0);

      const rejected = await call('/suno/submit/music', { body });
      expect(rejected.status).toBe(400);
      expect(rejected.json).toMatchObject({ code: 'invalid_request', message: 'bad request' });

      expect(ctx.sim.tasks()).toHaveLength(0);
      await submitMusic();
      expect(ctx.sim.tasks()).toHaveLength(1);
      expect(ctx.sim.pendingFaults()).toEqual({ submit: [], fetch: [] });
      expect(ctx.sim.stats().faultsServed).toBe(4);
    });

    it('keeps submit and fetch fault queues separate', async () => {
      ctx.sim.injectFaults('fetch', [{ status: 503 }]);
      const id = await submitMusic();
      expect((await call(`/suno/fetch/${id}`)).status).toBe(503);
      expect((await call(`/suno/fetch/${id}`)).status).toBe(200);
    });

    it('delays a slow response, answers it normally, then serves the next queued fault', async () => {
      const id = await submitMusic();
      ctx.sim.injectFaults('fetch', [{ delayMs: 150 }, { status: 500 }]);
      const started = performance.now();
      const tasks = await fetchBatch([id]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(tasks.map((t) => t.task_id)).toEqual([id]);
      expect((await call('/suno/fetch', { body: { ids: [id] } })).status).toBe(500);
      expect((await fetchBatch([id])).map((t) => t.task_id)).toEqual([id]);
    });

    it('drops the connection for a destroy fault', async () => {
      ctx.sim.injectFaults('fetch', [{ destroy: true }]);
      await expect(call('/suno/fetch', { body: { ids: [] } })).rejects.toThrow();
      expect((await call('/suno/fetch', { body: { ids: [] } })).status).toBe(200);
    });

    it('refuses malformed or ambiguous faults', () => {
      expect(() => ctx.sim.injectFaults('submit', [{ status: 500, garbage: true } as never])).toThrow();
      expect(() => ctx.sim.injectFaults('submit', [{ delayMs: -1 }])).toThrow();
      expect(() => ctx.sim.injectFaults('nope' as never, [{ status: 500 }])).toThrow();
      expect(ctx.sim.pendingFaults().submit).toEqual([]);
    });
  });

  describe('down switch', () => {
    it('answers 503 on every Suno route while down and recovers when switched back', async () => {
      const id = await submitMusic();
      ctx.sim.setDown(true);
      expect((await call('/suno/submit/music', { body: { prompt: 'x' } })).status).toBe(503);
      expect((await call('/suno/fetch', { body: { ids: [id] } })).status).toBe(503);
      expect((await call(`/suno/fetch/${id}`)).status).toBe(503);
      expect(ctx.sim.tasks()).toHaveLength(1);

      ctx.sim.setDown(false);
      expect((await fetchBatch([id])).map((t) => t.task_id)).toEqual([id]);
    });

    it('destroys sockets in destroy mode while the control API stays reachable', async () => {
      const down = await call('/__sim/down', { body: { down: 'destroy' }, auth: null });
      expect(down.json?.data).toEqual({ down: 'destroy' });
      await expect(call('/suno/fetch', { body: { ids: [] } })).rejects.toThrow();

      await call('/__sim/down', { body: { down: false }, auth: null });
      expect((await call('/suno/fetch', { body: { ids: [] } })).status).toBe(200);
    });
  });
});
