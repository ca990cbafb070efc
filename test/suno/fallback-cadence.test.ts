import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stopThePoller = (h: SunoHarness) =>
  h.worker.temporal.client.workflow.getHandle(`suno-poller-${h.t.deps.config.temporal.taskQueue}`).terminate('the poller stops');
const finishUpstream = (h: SunoHarness, prompt: string) => h.sim.complete(h.sim.tasks().find((t) => JSON.stringify(t).includes(prompt))!.task_id);

/**
 * A task's own upstream check guards against a poller that stops. While the poller is seen
 * following the task, the check waits 20 base waits (here 1 s, so 20 s); at 10,000 tasks in
 * flight, frequent checks were the task workflows' largest load.
 */
describe('a Suno task checks its upstream by itself only when the poller stops following it', () => {
  let h: SunoHarness;
  beforeAll(async () => {
    h = await startSunoHarness('sqlite', { TASK_FALLBACK_SECONDS: '1', TASK_TIMEOUT_MINUTES: '2' });
    await h.addChannel();
  });
  afterAll(() => h?.close());

  const ownChecks = async (taskId: string) => {
    const history = await h.worker.temporal.client.workflow.getHandle(`suno-${taskId}`).fetchHistory();
    return (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkSunoTask').length;
  };

  test('no own check while the poller reports the task; one soon after the poller is gone, which finds the result', async () => {
    const taskId = (await h.submit('music', { prompt: 'followed [sim:stall]' })).body.data;
    await h.waitFor(taskId, ['IN_PROGRESS']);
    // Eight base waits: backing off from 1 s alone, the task would have checked three times.
    await sleep(8_000);
    expect(await ownChecks(taskId)).toBe(0);

    await stopThePoller(h);
    finishUpstream(h, 'followed');
    const singlesBefore = h.sim.stats().requests.fetch_one;

    expect((await h.waitFor(taskId, ['SUCCESS', 'FAILURE'], 40_000)).status).toBe('SUCCESS');
    expect(await ownChecks(taskId)).toBeGreaterThanOrEqual(1);
    expect(h.sim.stats().requests.fetch_one).toBeGreaterThan(singlesBefore);
  }, 70_000);
});

describe('a followed Suno task whose poller stops looks upstream once more at its deadline', () => {
  let h: SunoHarness;
  beforeAll(async () => {
    // A 12 s deadline, well inside the 20 s a followed task waits before its own check.
    h = await startSunoHarness('sqlite', { TASK_FALLBACK_SECONDS: '1', TASK_TIMEOUT_MINUTES: '0.2' });
    await h.addChannel();
  });
  afterAll(() => h?.close());

  test('a job the upstream finished while nobody was watching ends SUCCESS at the deadline, not refunded', async () => {
    const taskId = (await h.submit('music', { prompt: 'unwatched [sim:stall]' })).body.data;
    await h.waitFor(taskId, ['IN_PROGRESS']);
    await stopThePoller(h);
    finishUpstream(h, 'unwatched');

    expect((await h.waitFor(taskId, ['SUCCESS', 'FAILURE'], 30_000)).status).toBe('SUCCESS');
    expect(await h.ledger(taskId)).toEqual([['charge', expect.any(Number)]]);
  }, 45_000);
});
