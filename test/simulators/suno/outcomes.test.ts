import { type MusicTask } from './index';
import { STEP_MS, T0, useSimulator } from './test-helpers';

describe('Suno-API simulator', () => {
  const ctx = useSimulator();
  const { call, submitMusic, fetchBatch, fetchOne } = ctx.client;
  const advance = (steps: number): void => ctx.advance(steps * STEP_MS);

  describe('task outcomes', () => {
    it('omits unknown and dropped ids from a batch fetch while still letting tests inspect dropped tasks', async () => {
      const kept = await submitMusic();
      const dropped = await submitMusic({ prompt: 'gone [sim:drop]' });
      advance(3);

      const tasks = await fetchBatch([kept, dropped, 'never-submitted', kept]);
      expect(tasks.map((t) => t.task_id)).toEqual([kept]);
      expect((await call(`/suno/fetch/${dropped}`)).status).toBe(404);

      expect(ctx.sim.outcomeOf(dropped)).toBe('drop');
      expect(ctx.sim.task(dropped)?.status).toBe('SUCCESS');
    });

    it('fails a task marked [sim:fail] with a fail_reason and errored clips', async () => {
      const id = await submitMusic({ gpt_description_prompt: 'sad song [sim:fail]', prompt: '' });
      advance(2);
      expect((await fetchOne(id)).status).toBe('IN_PROGRESS');
      advance(1);
      const failed = (await fetchOne(id)) as MusicTask;
      expect(failed.status).toBe('FAILURE');
      expect(failed.fail_reason).toBeTruthy();
      expect(failed.finish_time).toBe(T0 / 1000 + 3);
      for (const clip of failed.data) {
        expect(clip.status).toBe('error');
        expect(clip.metadata.error_message).toBe(failed.fail_reason);
        expect(clip.audio_url).toBe('');
      }
    });

    it('applies the default outcome to unmarked prompts, and a marker overrides it', async () => {
      ctx.sim.configure({ defaultOutcome: 'fail' });
      const plain = await submitMusic();
      const rescued = await submitMusic({ prompt: 'fine [sim:success]' });
      advance(3);
      expect((await fetchOne(plain)).status).toBe('FAILURE');
      expect((await fetchOne(rescued)).status).toBe('SUCCESS');
    });

    it('keeps a [sim:stall] task IN_PROGRESS forever until forced to complete', async () => {
      const id = await submitMusic({ prompt: 'stuck [sim:stall]' });
      ctx.advance(24 * 3600 * 1000);
      const stuck = (await fetchOne(id)) as MusicTask;
      expect(stuck).toMatchObject({ status: 'IN_PROGRESS', finish_time: 0 });
      expect(stuck.data.map((c) => c.status)).toEqual(['streaming', 'streaming']);

      ctx.sim.complete(id);
      const done = await fetchOne(id);
      expect(done.status).toBe('SUCCESS');
      expect(done.finish_time).toBe(Math.floor(ctx.clock / 1000));
      expect(() => ctx.sim.fail(id, 'too late')).toThrow(/already SUCCESS/);
    });

    it('streams a [sim:chatty] task with new clip data at every step until it is forced to an end', async () => {
      const id = await submitMusic({ prompt: 'endless [sim:chatty]' });
      advance(3);
      const first = (await fetchOne(id)) as MusicTask;
      advance(1);
      const second = (await fetchOne(id)) as MusicTask;
      advance(500);
      const later = (await fetchOne(id)) as MusicTask;
      expect([first.status, second.status, later.status]).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS']);
      expect(first.data.map((c) => c.metadata.duration)).toEqual([1, 1]);
      expect(second.data.map((c) => c.metadata.duration)).toEqual([2, 2]);
      expect(later.data[0]!.metadata.duration).toBe(502);

      ctx.sim.complete(id);
      const done = (await fetchOne(id)) as MusicTask;
      expect(done.status).toBe('SUCCESS');
      expect(done.data[0]!.metadata.duration).toBe(128.4);
    });

    it('fails a running task on demand with the given reason', async () => {
      const id = await submitMusic();
      const forced = ctx.sim.fail(id, 'moderation rejected');
      expect(forced).toMatchObject({ status: 'FAILURE', fail_reason: 'moderation rejected' });
      expect(await fetchOne(id)).toMatchObject({ status: 'FAILURE', fail_reason: 'moderation rejected' });
      expect(() => ctx.sim.complete('no-such-task')).toThrow(/unknown task/);
    });

    it('finishes immediately when stepMs is 0, and new settings leave existing tasks alone', async () => {
      const slow = await submitMusic();
      ctx.sim.configure({ stepMs: 0 });
      const fast = await submitMusic();
      expect((await fetchOne(fast)).status).toBe('SUCCESS');
      expect((await fetchOne(slow)).status).toBe('SUBMITTED');
    });
  });
});
