import { Task } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

describe.each(DB_KINDS)('Suno tasks survive their workers (%s)', (kind) => {
  let h: SunoHarness;
  beforeAll(async () => {
    // A minute's deadline: a loaded machine can take longer than the usual 12 s to replace a worker.
    h = await startSunoHarness(kind, { TASK_TIMEOUT_MINUTES: '1' });
    await h.addChannel();
  });
  afterAll(() => h?.close());

  test('a worker stopped mid-poll and replaced later: the task still completes, charged once', async () => {
    const before = await h.quota();
    const taskId = (await h.submit('music', { prompt: 'outlives its worker [sim:stall]' })).body.data;
    await h.waitFor(taskId, ['IN_PROGRESS']);

    await h.worker.stop();
    // While no worker runs, the upstream finishes the job.
    const upstream = h.sim.tasks().find((t) => JSON.stringify(t).includes('outlives its worker'))!;
    h.sim.complete(upstream.task_id);
    await new Promise((r) => setTimeout(r, 1500));
    await h.restartWorker();

    const done = await h.waitFor(taskId, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    expect(await h.ledger(taskId)).toEqual([['charge', -50_000]]);
    expect(await h.quota()).toBe(before - 50_000);
  });

  test('a task whose workflow never started (the API died after charging) is found and run by the poller', async () => {
    const { task } = await h.t.deps.services.tasks.create({
      platform: 'suno',
      action: 'MUSIC',
      userId: h.user.id,
      tokenId: null,
      quota: 50_000,
      properties: { input: { prompt: 'orphan' }, model: 'suno_music' },
    });
    // Make it look a couple of minutes old, as after a crash.
    await h.t.db.orm.em.fork().nativeUpdate(Task, { taskId: task.taskId }, { createdAt: task.createdAt - 120 });

    const done = await h.waitFor(task.taskId, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    // The projection turns SUCCESS just before the workflow returns; wait for its result.
    await expect(h.worker.temporal.client.workflow.getHandle(`suno-${task.taskId}`).result()).resolves.toMatchObject({ status: 'SUCCESS' });
  });

  test('a task refunded because Temporal refused its start is never submitted when its workflow starts later', async () => {
    const before = await h.quota();
    const { task } = await h.t.deps.services.tasks.create({
      platform: 'suno',
      action: 'MUSIC',
      userId: h.user.id,
      tokenId: null,
      quota: 50_000,
      properties: { input: { prompt: 'refused start' }, model: 'suno_music' },
    });
    // What the API does when the start fails; a client replaying its Idempotency-Key then starts the workflow.
    await h.t.deps.services.tasks.abandon(task.taskId, 'the task could not be started: Temporal is unavailable');
    const submits = h.sim.stats().requests.submit;
    await h.t.deps.workflows.suno.start(task);
    const state = await h.worker.temporal.client.workflow.getHandle(`suno-${task.taskId}`).result();
    expect(state).toMatchObject({ status: 'FAILURE', upstreamTaskId: null });
    expect(h.sim.stats().requests.submit).toBe(submits);
    expect(await h.ledger(task.taskId)).toEqual([
      ['charge', -50_000],
      ['refund', 50_000],
    ]);
    expect(await h.quota()).toBe(before);
  });

  test('the workflow answers a status query for operators', async () => {
    const taskId = (await h.submit('music', { prompt: 'observable' })).body.data;
    await h.waitFor(taskId, ['SUCCESS']);
    const state = await h.worker.temporal.client.workflow.getHandle(`suno-${taskId}`).query('status');
    expect(state).toMatchObject({ status: 'SUCCESS', progress: '100%', refunded: false, upstreamTaskId: expect.any(String) });
  });
});
