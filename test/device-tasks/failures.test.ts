import { DB_KINDS } from '../support/databases';
import { COMPLETED, FAILED, openSessionsOf, RUNNING, startDeviceHarness, useDeviceHarness, warmup, type DeviceHarness } from './harness';

describe.each(DB_KINDS)('device tasks that fail (%s)', (kind) => {
  const ctx = useDeviceHarness(kind);

  test('a missing element fails the task with the step that could not find it, closes the session and frees the phone', async () => {
    const phone = await ctx.h.addPhone('follow-missing-button.xml');
    const [failing] = await ctx.h.create({ serials: [phone], script_name: 'follow', script_config: { target_users: ['alice'], access_method: 'search' } });
    const [next] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });
    const failed = await ctx.h.waitForStatus(failing, [FAILED, COMPLETED]);
    expect(failed).toMatchObject({ status: FAILED, remark: expect.stringMatching(/^element not found at step \d+ \(follow button\)$/) });
    expect(failed.end_time).not.toBeNull();
    // Its own session is gone; the next task may already hold a new one on the freed phone.
    const [failingRun] = ctx.h.runs.filter((r) => r.serial === phone);
    expect(failingRun.sessionId).toEqual(expect.any(String));
    expect(await openSessionsOf(ctx.appium.url, phone)).not.toContain(failingRun.sessionId);
    // The same phone takes its next task (the fixture has no feed, so the warm-up fails too, but it ran).
    await ctx.h.waitForStatus(next, [FAILED, COMPLETED]);
    expect(ctx.h.runs.filter((r) => r.serial === phone)).toHaveLength(2);
  });

  test('a phone Appium cannot open a session on fails as offline, with the serial in the remark', async () => {
    const phone = await ctx.h.addPhone('warmup.xml', {
      capabilities: { platformName: 'Fake', 'appium:automationName': 'Fake', 'appium:app': '/nonexistent/screen.xml' },
    });
    const [id] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });
    const failed = await ctx.h.waitForStatus(id, [FAILED, COMPLETED]);
    expect(failed).toMatchObject({ status: FAILED, remark: expect.stringMatching(new RegExp(`^could not start an Appium session on ${phone}`)) });
  });

  test('a holder that vanished (its workflow terminated) loses the phone to the next task; stop then ends the orphaned row', async () => {
    const phone = await ctx.h.addPhone();
    const [orphan] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await ctx.h.waitForStatus(orphan, [RUNNING]);
    const [next] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });

    await ctx.h.worker.temporal.client.workflow.getHandle(`device-${orphan}`).terminate('operator terminated it');
    await ctx.h.waitForStatus(next, [COMPLETED], 30_000);
    expect((await ctx.h.get(orphan)).status).toBe(RUNNING);

    await ctx.h.stop(orphan);
    expect(await ctx.h.get(orphan)).toMatchObject({ status: FAILED, remark: 'stopped by request (no workflow was running for it)' });
  });
});

describe.each(DB_KINDS)('device tasks when Appium is down (%s)', (kind) => {
  let h: DeviceHarness;
  beforeAll(async () => {
    h = await startDeviceHarness(kind, { APPIUM_URL: 'http://127.0.0.1:9/' });
  });
  afterAll(() => h?.close());

  test('fail with a remark naming the unreachable server, and the phone goes on to its next task', async () => {
    const phone = await h.addPhone();
    const ids = [
      ...(await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
      ...(await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
    ];
    for (const id of ids) {
      expect(await h.waitForStatus(id, [FAILED, COMPLETED])).toMatchObject({
        status: FAILED,
        remark: expect.stringMatching(/^Appium at http:\/\/127\.0\.0\.1:9\/ is unreachable/),
      });
    }
  });
});

describe.each(DB_KINDS)('automatic retries (%s)', (kind) => {
  const ctx = useDeviceHarness(kind, {
    DEVICE_TASK_AUTO_RETRY: 'true',
    DEVICE_TASK_MAX_RETRIES: '2',
    DEVICE_RETRY_DELAY_MIN_SECONDS: '0.2',
    DEVICE_RETRY_DELAY_MAX_SECONDS: '0.5',
  });

  test('a failing task is run again after a random pause up to the limit, counted in retry_count, then stays failed', async () => {
    const phone = await ctx.h.addPhone('follow-missing-button.xml');
    const [id] = await ctx.h.create({ serials: [phone], script_name: 'follow', script_config: { target_users: ['alice'], access_method: 'search' } });
    const final = await ctx.h.waitFor(id, (t) => t.status === FAILED && t.retry_count === 2, 45_000);
    expect(final.remark).toMatch(/^element not found at step \d+/);
    expect(ctx.h.runs.filter((r) => r.serial === phone)).toHaveLength(3);
    // No fourth run comes.
    await new Promise((r) => setTimeout(r, 1500));
    expect(ctx.h.runs.filter((r) => r.serial === phone)).toHaveLength(3);
    expect((await ctx.h.get(id)).retry_count).toBe(2);
  });

  test('a stopped task is not retried automatically', async () => {
    const phone = await ctx.h.addPhone();
    const [id] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await ctx.h.waitForStatus(id, [RUNNING]);
    await ctx.h.stop(id);
    expect(await ctx.h.waitForStatus(id, [FAILED], 15_000)).toMatchObject({ remark: 'stopped by request', retry_count: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ctx.h.get(id)).toMatchObject({ status: FAILED, retry_count: 0 });
  });
});
