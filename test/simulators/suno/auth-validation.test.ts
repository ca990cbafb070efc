import { SECRET, useSimulator } from './test-helpers';

describe('Suno-API simulator', () => {
  const ctx = useSimulator();
  const { call } = ctx.client;

  describe('protocol', () => {
    it('rejects a lyrics submit without a prompt with 400', async () => {
      for (const body of [{}, { prompt: '' }, { prompt: '   ' }]) {
        const r = await call('/suno/submit/lyrics', { body });
        expect(r.status).toBe(400);
        expect(r.json?.code).not.toBe('success');
      }
      expect(ctx.sim.tasks()).toHaveLength(0);
    });

    it('rejects an unknown action, a malformed body and a continuation without task_id with 400', async () => {
      const bad = [
        await call('/suno/submit/video', { body: { prompt: 'x' } }),
        await call('/suno/submit/music', { body: { prompt: 42 } }),
        await call('/suno/submit/music', { body: { continue_clip_id: 'clip-1' } }),
      ];
      for (const r of bad) {
        expect(r.status).toBe(400);
        expect(r.json?.code).toBe('invalid_request');
      }
      expect(ctx.sim.tasks()).toHaveLength(0);
    });

    it('answers 401 in the envelope for a missing or wrong secret and counts it', async () => {
      for (const auth of [null, 'Bearer nope', SECRET]) {
        const r = await call('/suno/submit/music', { body: { prompt: 'x' }, auth });
        expect(r.status).toBe(401);
        expect(r.json).toMatchObject({ code: 'unauthorized', data: null });
      }
      expect((await call('/suno/fetch', { body: { ids: [] }, auth: null })).status).toBe(401);
      expect(ctx.sim.tasks()).toHaveLength(0);
      expect(ctx.sim.stats().unauthorized).toBe(4);
    });
  });
});
