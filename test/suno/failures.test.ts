import { DB_KINDS } from '../support/databases';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

describe.each(DB_KINDS)('a Suno task that fails is refunded exactly once (%s)', (kind) => {
  let h: SunoHarness;
  let fallbackChannel: number;
  beforeAll(async () => {
    h = await startSunoHarness(kind);
    fallbackChannel = await h.addChannel({ name: 'fallback', priority: 0 });
  });
  afterAll(() => h?.close());

  test('an upstream FAILURE becomes FAILURE with its reason, and the charge comes back once', async () => {
    const before = await h.quota();
    const taskId = (await h.submit('music', { prompt: 'doomed [sim:fail]' })).body.data;

    const done = await h.waitFor(taskId, ['FAILURE', 'SUCCESS']);
    expect(done).toMatchObject({ status: 'FAILURE', progress: '100%', quota: 0, fail_reason: expect.stringMatching(/.+/) });
    expect(await h.ledger(taskId)).toEqual([
      ['charge', -50_000],
      ['refund', 50_000],
    ]);
    expect(await h.quota()).toBe(before);
    expect(await h.t.deps.services.ledger.audit()).toEqual([]);
  });

  test('an upstream that rejects the request (400) is not retried: failed and refunded', async () => {
    h.sim.resetStats();
    h.sim.injectFaults('submit', [{ reject: 'prompt violates policy' }]);
    const before = await h.quota();
    const taskId = (await h.submit('music', { prompt: 'rejected' })).body.data;

    const done = await h.waitFor(taskId, ['FAILURE', 'SUCCESS']);
    expect(done.fail_reason).toMatch(/submission failed: upstream rejected the request.*prompt violates policy/);
    expect(h.sim.stats().requests.submit).toBe(1);
    expect(await h.quota()).toBe(before);
  });

  test('a rate-limited or broken channel hands the task to the next one', async () => {
    const primary = await h.addChannel({ name: 'primary', priority: 10 });
    h.sim.injectFaults('submit', [{ status: 429 }]);
    const taskId = (await h.submit('music', { prompt: 'fail over' })).body.data;

    const done = await h.waitFor(taskId, ['SUCCESS', 'FAILURE']);
    expect(done.status).toBe('SUCCESS');
    const admin = await h.http().get('/api/task/').query({ task_id: taskId }).set('Authorization', `Bearer ${h.t.rootToken}`);
    expect(admin.body.data.items[0].channel_id).toBe(fallbackChannel);
    await h.http().delete(`/api/channel/${primary}`).set('Authorization', `Bearer ${h.t.rootToken}`);
  });

  test('a task the upstream forgets is failed and refunded when the give-up time passes', async () => {
    const before = await h.quota();
    const taskId = (await h.submit('music', { prompt: 'vanishing [sim:drop]' })).body.data;

    const done = await h.waitFor(taskId, ['FAILURE', 'SUCCESS'], 40_000);
    expect(done.fail_reason).toMatch(/timed out after 0.2 minutes/);
    expect(await h.quota()).toBe(before);
    // The batched poller saw nothing for it, so the workflow asked on its own.
    expect(h.sim.stats().requests.fetch_one).toBeGreaterThan(0);
  }, 60_000);

  test('a stalled task and an upstream that goes down never leave a task stuck', async () => {
    const before = await h.quota();
    const stalled = (await h.submit('music', { prompt: 'forever [sim:stall]' })).body.data;
    await h.waitFor(stalled, ['IN_PROGRESS']);
    h.sim.setDown(true);
    try {
      const done = await h.waitFor(stalled, ['FAILURE', 'SUCCESS'], 40_000);
      expect(done).toMatchObject({ status: 'FAILURE', fail_reason: expect.stringMatching(/timed out/) });
      expect(await h.quota()).toBe(before);
    } finally {
      h.sim.setDown(false);
    }
  }, 60_000);
});
