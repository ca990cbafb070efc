import { startMidjourneySimulator, type MidjourneySimulator } from '../simulators/midjourney';
import { startSunoSimulator, type SunoSimulator } from '../simulators/suno';
import { runsOf, type RunHistory } from '../support/history';
import { startRelayHarness, type RelayHarness } from '../support/relay-harness';
import { startDeviceHarness, warmup, COMPLETED, type DeviceHarness } from '../device-tasks/harness';
import { useAppium } from '../support/appium';

/** Small, so a test crosses it several times in seconds; production runs with 4,000. */
const BUDGET = 60;
/**
 * A run checks its budget once per round, so it may overshoot by one round of events plus its
 * closing ones; on a loaded machine a slow round can also collect a few more poller signals.
 */
const ROUND_SLACK = 40;
const CONTINUATIONS = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until the workflow has continued as new `times` times. */
async function continuedAtLeast(h: { client: RelayHarness['worker']['temporal']['client'] }, workflowId: string, times: number): Promise<RunHistory[]> {
  let runs: RunHistory[] = [];
  for (let i = 0; i < 200; i++) {
    runs = await runsOf(h.client, workflowId);
    if (runs.length > times) return runs;
    await sleep(500);
  }
  throw new Error(`${workflowId} continued as new ${runs.length - 1} times, not ${times}`);
}

/** Waits (bounded) until the workflow's latest run has closed, and returns all its runs. */
async function closedRuns(h: { client: RelayHarness['worker']['temporal']['client'] }, workflowId: string): Promise<RunHistory[]> {
  let runs: RunHistory[] = [];
  for (let i = 0; i < 200; i++) {
    runs = await runsOf(h.client, workflowId);
    if (runs.at(-1)!.closedAs !== 'open') return runs;
    await sleep(250);
  }
  throw new Error(`${workflowId} did not close; runs: ${JSON.stringify(runs.map((r) => r.closedAs))}`);
}

function expectBounded(runs: RunHistory[], final: string): void {
  for (const run of runs) expect(run.events).toBeLessThanOrEqual(BUDGET + ROUND_SLACK);
  expect(runs.slice(0, -1).every((r) => r.closedAs === 'continuedAsNew')).toBe(true);
  expect(runs.at(-1)!.closedAs).toBe(final);
}

describe('generation tasks against an upstream that changes at every poll', () => {
  let h: RelayHarness;
  let suno: SunoSimulator;
  let mj: MidjourneySimulator;
  beforeAll(async () => {
    suno = await startSunoSimulator({ stepMs: 200 });
    mj = await startMidjourneySimulator({ stepMs: 200 });
    // One-second polling, and a deadline far beyond the test: only the history budget ends runs.
    h = await startRelayHarness('sqlite', { WORKFLOW_HISTORY_BUDGET: String(BUDGET), TASK_TIMEOUT_MINUTES: '10' }, { sunoPoller: true, mjPoller: true });
    await h.addChannel({ type: 36, name: 'suno-sim', key: suno.secret, base_url: suno.url });
    await h.addChannel({ type: 2, name: 'mj-sim', key: mj.secret, base_url: mj.url });
  });
  afterAll(async () => {
    await h?.close();
    await suno?.stop();
    await mj?.stop();
  });

  test('continue as new within their budget, keep their sequence and deadline, and end charged once and refunded at most once', async () => {
    const client = h.worker.temporal.client;
    const before = await h.quota();
    const sunoTask = (await h.http().post('/suno/submit/music').set('Authorization', `Bearer ${h.user.key}`).send({ prompt: 'an endless stream [sim:chatty]' }))
      .body.data as string;
    const mjTask = (await h.http().post('/mj/submit/imagine').set('Authorization', `Bearer ${h.user.key}`).send({ prompt: 'a restless sky [sim:chatty]' })).body
      .result as string;
    expect(sunoTask).toMatch(/^task_/);
    expect(mjTask).toMatch(/^\d+$/);

    // Let both cross their budget several times while the upstream keeps changing.
    const [, mjRunsSoFar] = await Promise.all([
      continuedAtLeast({ client }, `suno-${sunoTask}`, CONTINUATIONS),
      continuedAtLeast({ client }, `mj-${mjTask}`, CONTINUATIONS),
    ]);
    // Then the upstream ends them: the song succeeds, the image fails.
    suno.complete(suno.tasks()[0]!.task_id);
    mj.fail(mj.tasks()[0]!.id, 'the sky gave up');

    const [sunoRuns, mjRuns] = await Promise.all([closedRuns({ client }, `suno-${sunoTask}`), closedRuns({ client }, `mj-${mjTask}`)]);
    expectBounded(sunoRuns, 'completed');
    expectBounded(mjRuns, 'completed');
    expect(sunoRuns.length).toBeGreaterThan(CONTINUATIONS);
    expect(mjRuns.length).toBeGreaterThan(CONTINUATIONS);
    console.log(
      `history bound (budget ${BUDGET} events): suno ${sunoRuns.length} runs of [${sunoRuns.map((r) => r.events).join(', ')}] events; ` +
        `mj ${mjRuns.length} runs of [${mjRuns.map((r) => r.events).join(', ')}] events (${mjRunsSoFar.length - 1} continuations before the end)`,
    );

    // Each continued run starts where the last one stopped: same deadline, a higher write number.
    for (const runs of [sunoRuns, mjRuns]) {
      const resumes = runs.slice(1).map((r) => (r.input as { resume: { seq: number; deadline: number } }).resume);
      expect(new Set(resumes.map((r) => r.deadline)).size).toBe(1);
      for (let i = 1; i < resumes.length; i++) expect(resumes[i]!.seq).toBeGreaterThan(resumes[i - 1]!.seq);
    }

    // The outcome: the song is SUCCESS and charged once; the image is FAILURE, charged once and refunded once.
    const song = await client.workflow.getHandle(`suno-${sunoTask}`).result();
    const image = await client.workflow.getHandle(`mj-${mjTask}`).result();
    expect(song).toMatchObject({ status: 'SUCCESS', refunded: false });
    expect(image).toMatchObject({ status: 'FAILURE', refunded: true, failReason: 'the sky gave up', submission: { accepted: true } });
    expect(await h.ledger(`suno:${sunoTask}`)).toEqual([['charge', -50_000]]);
    expect(await h.ledger(`midjourney:${mjTask}`)).toEqual([
      ['charge', -50_000],
      ['refund', 50_000],
    ]);
    expect(await h.quota()).toBe(before - 50_000);
    // Continuing as new never submits again.
    expect(suno.stats().requests.submit).toBe(1);
    expect(mj.stats().submit).toBe(1);
    // The last run still carries the task's search attributes.
    const described = await client.workflow.getHandle(`mj-${mjTask}`).describe();
    expect(described.searchAttributes).toMatchObject({ TaskKind: ['midjourney'], TaskStatus: ['FAILURE'] });
  }, 150_000);
});

describe('a phone lock held by a long script', () => {
  let h: DeviceHarness;
  let appium: Awaited<ReturnType<typeof useAppium>>;
  beforeAll(async () => {
    appium = await useAppium();
    // The lock checks its holder twice a second, so its history grows fast while the script runs.
    h = await startDeviceHarness('sqlite', { APPIUM_URL: appium.url, WORKFLOW_HISTORY_BUDGET: String(BUDGET), DEVICE_LOCK_CHECK_SECONDS: '0.5' });
  });
  afterAll(async () => {
    await h?.close();
    await appium?.release();
  });

  test('continues as new while held, and the next task gets the phone only after the first ended', async () => {
    const serial = await h.addPhone('warmup.xml');
    const [first] = await h.create({ serials: [serial], script_name: 'account_warmup', script_config: warmup(16) });
    const [second] = await h.create({ serials: [serial], script_name: 'account_warmup', script_config: warmup(1) });
    const done = await Promise.all([h.waitForStatus(first!, [COMPLETED], 60_000), h.waitForStatus(second!, [COMPLETED], 60_000)]);
    expect(done.map((t) => t.status)).toEqual([COMPLETED, COMPLETED]);

    const runs = await runsOf(h.worker.temporal.client, `phone-${serial}`);
    for (const run of runs) expect(run.events).toBeLessThanOrEqual(BUDGET + ROUND_SLACK);
    expect(runs.length).toBeGreaterThan(CONTINUATIONS);
    // Some of those runs began while a task held the phone.
    const heldAtStart = runs.slice(1).filter((r) => (r.input as { holder: unknown }).holder !== null);
    expect(heldAtStart.length).toBeGreaterThanOrEqual(CONTINUATIONS);
    console.log(
      `phone lock (budget ${BUDGET} events): ${runs.length} runs of [${runs.map((r) => r.events).join(', ')}] events, ${heldAtStart.length} begun while held`,
    );

    const [a, b] = h.runs.filter((r) => r.serial === serial).sort((x, y) => x.startedAt - y.startedAt);
    expect(a!.endedAt).toBeLessThanOrEqual(b!.startedAt);
  }, 120_000);
});
