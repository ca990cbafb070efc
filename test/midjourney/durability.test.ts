import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

describe.each(DB_KINDS)('Midjourney tasks survive worker restarts (%s)', (kind) => {
  let h: MjHarness;
  beforeAll(async () => {
    // Slow progress so the worker is replaced while the jobs are in flight; a minute's deadline,
    // since a loaded machine can take longer than the usual 12 s to stop and replace a worker.
    h = await startMjHarness(kind, { TASK_TIMEOUT_MINUTES: '1' }, { stepMs: 600 });
    await h.addChannel();
  });
  afterAll(() => h?.close());

  test('a worker stopped mid-task and replaced finishes every task, charged exactly once', async () => {
    const before = await h.quota();
    const ids = await Promise.all(['one', 'two', 'three [sim:fail]'].map((p) => h.submit('imagine', { prompt: p }).then((r) => r.body.result!)));
    await h.waitFor(ids[0]!, ['IN_PROGRESS']);
    await h.restartWorker();

    expect((await h.waitFor(ids[0]!, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
    expect((await h.waitFor(ids[1]!, ['SUCCESS', 'FAILURE'])).status).toBe('SUCCESS');
    expect((await h.waitFor(ids[2]!, ['SUCCESS', 'FAILURE'])).status).toBe('FAILURE');
    expect(await h.ledger(ids[0]!)).toEqual([['charge', -50_000]]);
    expect(await h.ledger(ids[2]!)).toEqual([
      ['charge', -50_000],
      ['refund', 50_000],
    ]);
    expect(await h.quota()).toBe(before - 100_000);
    // Each job went upstream once, whatever the restart did to the activities.
    expect(h.sim.stats().submitByRoute.imagine).toBe(3);
  });

  test('a task refunded because Temporal refused its start is never submitted when its workflow starts later', async () => {
    const before = await h.quota();
    const { task } = await h.t.deps.services.midjourney.create({
      userId: h.user.id,
      tokenId: null,
      action: 'IMAGINE',
      parentMjId: null,
      channelId: 0,
      prompt: 'refused start',
      request: { route: 'imagine', body: { prompt: 'refused start' } },
      quota: 50_000,
    });
    await h.t.deps.services.midjourney.abandon(task.mjId, 'the task could not be started: Temporal is unavailable');
    const submits = h.sim.stats().submit;
    await h.t.deps.workflows.midjourney.start(task);
    const state = await h.worker.temporal.client.workflow.getHandle(`mj-${task.mjId}`).result();
    expect(state).toMatchObject({ status: 'FAILURE', upstreamTaskId: null, submission: { accepted: false } });
    expect(h.sim.stats().submit).toBe(submits);
    expect(await h.ledger(task.mjId)).toEqual([
      ['charge', -50_000],
      ['refund', 50_000],
    ]);
    expect(await h.quota()).toBe(before);
  });

  test('a task whose workflow never started is failed and refunded by the poller, not submitted late', async () => {
    const before = await h.quota();
    // What the API leaves behind when it dies between its commit and the workflow start.
    const { task } = await h.t.deps.services.midjourney.create({
      userId: h.user.id,
      tokenId: null,
      action: 'IMAGINE',
      parentMjId: null,
      channelId: 0,
      prompt: 'orphan',
      request: { route: 'imagine', body: { prompt: 'orphan' } },
      quota: 50_000,
    });
    await h.t.db.orm.em.fork().getConnection().execute('update midjourneys set created_at = created_at - 120 where mj_id = ?', [task.mjId]);
    const submits = h.sim.stats().submit;
    const done = await h.waitFor(task.mjId, ['FAILURE'], { timeoutMs: 20_000 });
    expect(done.failReason).toMatch(/never started/);
    expect(await h.quota()).toBe(before);
    expect(h.sim.stats().submit).toBe(submits);
  });
});
