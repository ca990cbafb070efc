import { type SubmitReply } from './index';
import { STEP, T0, useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { submit, fetchTask, listTasks } = ctx.client;

  test('a [sim:fail] task ends in FAILURE keeping the progress it reached; [sim:stall] never leaves IN_PROGRESS', async () => {
    const f = await submit('imagine', { prompt: 'doomed [sim:fail]' });
    const s = await submit('imagine', { prompt: 'stuck [sim:stall]' });
    ctx.advance(STEP * 2);
    expect((await fetchTask(f.result!)).progress).toBe('35%');
    ctx.advance(STEP * 100);
    expect(await fetchTask(f.result!)).toMatchObject({
      status: 'FAILURE',
      progress: '35%',
      failReason: 'Simulated failure (mj-sim)',
      finishTime: T0 + 3 * STEP,
      imageUrl: null,
      buttons: [],
    });
    expect(await fetchTask(s.result!)).toMatchObject({ status: 'IN_PROGRESS', progress: '90%', finishTime: null });
  });

  test('a [sim:chatty] task reports a new progress at every step and ends only when forced', async () => {
    const c = await submit('imagine', { prompt: 'endless [sim:chatty]' });
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      ctx.advance(STEP);
      seen.push((await fetchTask(c.result!)).progress);
    }
    expect(seen).toEqual(['1%', '2%', '3%', '4%']);
    ctx.advance(STEP * 98);
    expect(await fetchTask(c.result!)).toMatchObject({ status: 'IN_PROGRESS', progress: '3%', finishTime: null });
    expect(ctx.sim.complete(c.result!)).toMatchObject({ status: 'SUCCESS', progress: '100%' });
  });

  test('the default outcome and queued outcomes pick the fate of tasks without markers', async () => {
    ctx.sim.setDefaultOutcome('stall');
    ctx.sim.queueOutcome('fail');
    const first = await submit('imagine', { prompt: 'one' });
    const second = await submit('imagine', { prompt: 'two' });
    const marked = await submit('imagine', { prompt: 'three [sim:success]' });
    ctx.advance(STEP * 100);
    const [a, b, c] = await listTasks([first.result!, second.result!, marked.result!]);
    expect([a!.status, b!.status, c!.status]).toEqual(['FAILURE', 'IN_PROGRESS', 'SUCCESS']);
  });

  test('sim.complete and sim.fail force a terminal state immediately', async () => {
    const a = await submit('imagine', { prompt: 'stuck [sim:stall]' });
    const b = await submit('imagine', { prompt: 'will be failed' });
    ctx.advance(STEP * 3);
    expect(ctx.sim.complete(a.result!)).toMatchObject({ status: 'SUCCESS', progress: '100%', finishTime: ctx.clock });
    expect(ctx.sim.fail(b.result!, 'banned by moderator')).toMatchObject({ status: 'FAILURE', progress: '67%', failReason: 'banned by moderator' });
    expect((await fetchTask(a.result!)).buttons).toHaveLength(9);
    expect((await fetchTask(b.result!)).status).toBe('FAILURE');
    expect(() => ctx.sim.complete('nope')).toThrow(/unknown task/);
  });

  test('queued submit codes answer 21, 22, 23, 24, 9 in order, then submits are accepted again', async () => {
    ctx.sim.queueSubmitCode(21);
    ctx.sim.queueSubmitCode(22);
    ctx.sim.queueSubmitCode(23);
    ctx.sim.queueSubmitCode(24);
    ctx.sim.queueSubmitCode(9, 1, 'upstream exploded');
    const replies: SubmitReply[] = [];
    for (let i = 0; i < 6; i++) replies.push(await submit('imagine', { prompt: `p${i}` }));
    expect(replies.map((r) => r.code)).toEqual([21, 22, 23, 24, 9, 1]);
    expect(replies[0]!.properties.status).toBe('SUCCESS');
    expect((await fetchTask(replies[0]!.result!)).status).toBe('SUCCESS');
    expect(replies[1]!.result).toMatch(/^\d+$/);
    expect(replies[1]!.description).toContain('排队中');
    expect(replies[2]!.result).toBeNull();
    expect(replies[4]).toMatchObject({ description: 'upstream exploded', result: null });
    // A queued (22) task waits in NOT_START before it is submitted.
    expect((await fetchTask(replies[1]!.result!)).status).toBe('NOT_START');
    ctx.advance(STEP * 2);
    expect((await fetchTask(replies[1]!.result!)).status).toBe('SUBMITTED');
    expect(ctx.sim.tasks()).toHaveLength(3);
  });
});
