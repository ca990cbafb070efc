import { type LyricsTask, type MusicTask, type SunoTask } from './index';
import { STEP_MS, T0, useSimulator } from './test-helpers';

describe('Suno-API simulator', () => {
  const ctx = useSimulator();
  const { call, submitMusic, fetchOne } = ctx.client;
  const advance = (steps: number): void => ctx.advance(steps * STEP_MS);

  describe('protocol', () => {
    it('walks a music task through SUBMITTED, QUEUED, IN_PROGRESS to SUCCESS as steps elapse', async () => {
      const id = await submitMusic();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const submitted = (await fetchOne(id)) as MusicTask;
      expect(submitted).toMatchObject({
        task_id: id,
        action: 'MUSIC',
        status: 'SUBMITTED',
        fail_reason: '',
        submit_time: T0 / 1000,
        start_time: 0,
        finish_time: 0,
      });
      expect(submitted.data).toHaveLength(2);
      expect(submitted.data.every((c) => c.status === 'submitted' && c.audio_url === '')).toBe(true);

      advance(1);
      expect((await fetchOne(id)).status).toBe('QUEUED');

      advance(1);
      const running = (await fetchOne(id)) as MusicTask;
      expect(running).toMatchObject({ status: 'IN_PROGRESS', start_time: T0 / 1000 + 2, finish_time: 0 });
      expect(running.data.map((c) => c.status)).toEqual(['streaming', 'streaming']);

      advance(1);
      const done = (await fetchOne(id)) as MusicTask;
      expect(done).toMatchObject({ status: 'SUCCESS', start_time: T0 / 1000 + 2, finish_time: T0 / 1000 + 3 });
      for (const clip of done.data) {
        expect(clip).toMatchObject({
          status: 'complete',
          title: 'Tests',
          model_name: 'chirp-v3-5',
          major_model_version: 'v3.5',
          metadata: { tags: 'pop', prompt: 'a song about tests', error_type: null, error_message: null },
        });
        expect(clip.metadata.duration).toBeGreaterThan(0);
        expect(clip.audio_url).toBe(`${ctx.sim.url}/media/${clip.id}.mp3`);
      }
      expect(done.data[0]!.id).not.toBe(done.data[1]!.id);
    });

    it('serves small media bytes at the clip URLs it hands out', async () => {
      const id = await submitMusic();
      advance(3);
      const clip = ((await fetchOne(id)) as MusicTask).data[0]!;
      const audio = await fetch(clip.audio_url);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/mpeg');
      expect(
        Buffer.from(await audio.arrayBuffer())
          .subarray(0, 3)
          .toString(),
      ).toBe('ID3');
      expect((await fetch(clip.image_large_url)).headers.get('content-type')).toBe('image/jpeg');
      expect((await fetch(`${ctx.sim.url}/media/00000000-0000-0000-0000-000000000000.mp3`)).status).toBe(404);
    });

    it('accepts the upper-case action new-api puts in the submit URL', async () => {
      const r = await call('/suno/submit/MUSIC', { body: { gpt_description_prompt: 'lofi rain' } });
      expect(r.json?.code).toBe('success');
      expect(ctx.sim.task(r.json!.data as string)?.action).toBe('MUSIC');
    });

    it('returns one task from GET /suno/fetch/:id and a 404 envelope for an unknown id', async () => {
      const id = await submitMusic();
      const found = await call(`/suno/fetch/${id}`);
      expect(found.status).toBe(200);
      expect((found.json?.data as SunoTask).task_id).toBe(id);

      const missing = await call('/suno/fetch/does-not-exist');
      expect(missing.status).toBe(404);
      expect(missing.json?.code).not.toBe('success');
      expect(missing.json?.message).toBeTruthy();
    });

    it('generates lyrics that complete with text', async () => {
      const r = await call('/suno/submit/lyrics', { body: { prompt: 'winter trains' } });
      expect(r.json?.code).toBe('success');
      const id = r.json!.data as string;
      expect(((await fetchOne(id)) as LyricsTask).data).toMatchObject({ id, status: 'submitted', text: '' });

      advance(3);
      const done = (await fetchOne(id)) as LyricsTask;
      expect(done).toMatchObject({ action: 'LYRICS', status: 'SUCCESS', data: { id, status: 'complete' } });
      expect(done.data.text).toContain('winter trains');
      expect(done.data.title).toBe('winter trains');
    });
  });
});
