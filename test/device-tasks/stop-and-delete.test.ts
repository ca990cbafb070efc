import { DB_KINDS } from '../support/databases';
import { COMPLETED, FAILED, openSessionsOf, PENDING, RUNNING, useDeviceHarness, warmup } from './harness';

describe.each(DB_KINDS)('stopping and deleting device tasks (%s)', (kind) => {
  const ctx = useDeviceHarness(kind);

  const sessionsOf = (serial: string) => openSessionsOf(ctx.appium.url, serial);
  const runsOn = (serial: string) => ctx.h.runs.filter((r) => r.serial === serial);

  /** Waits until the script has really begun talking to the phone. */
  async function scriptRunning(id: number, serial: string) {
    await ctx.h.waitForStatus(id, [RUNNING]);
    await ctx.h.waitFor(id, () => runsOn(serial).some((r) => r.firstCommandAt !== undefined && r.endedAt === undefined), 15_000);
  }

  test('stop ends a running warm-up within seconds, closes its Appium session and frees the phone for the next task', async () => {
    const phone = await ctx.h.addPhone();
    const [long] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await scriptRunning(long, phone);
    const [next] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });
    expect(await sessionsOf(phone)).toHaveLength(1);

    const res = await ctx.h.http().post(`/api/v1/task/${long}/stop`);
    expect(res.body).toEqual({ code: 0, message: 'success', data: { task_id: long, stop_requested: true } });
    const stopped = await ctx.h.waitForStatus(long, [FAILED, COMPLETED], 10_000);
    expect(stopped).toMatchObject({ status: FAILED, remark: 'stopped by request' });
    expect(await ctx.h.waitForStatus(next, [COMPLETED], 30_000)).toMatchObject({ remark: expect.stringMatching(/watched/) });
    expect(await sessionsOf(phone)).toEqual([]);
    expect(runsOn(phone)).toHaveLength(2);
  });

  test('a cancel from Temporal (the UI or the CLI) stops a running task the same way, session closed', async () => {
    const phone = await ctx.h.addPhone();
    const [id] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await scriptRunning(id, phone);
    await ctx.h.worker.temporal.client.workflow.getHandle(`device-${id}`).cancel();
    expect(await ctx.h.waitForStatus(id, [FAILED, COMPLETED], 10_000)).toMatchObject({ status: FAILED, remark: 'stopped: the workflow was cancelled' });
    expect(await sessionsOf(phone)).toEqual([]);
  });

  test('a task stopped while queued behind another never runs, and the queue moves on', async () => {
    const phone = await ctx.h.addPhone();
    const [busy] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await scriptRunning(busy, phone);
    const [queued, after] = [
      ...(await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
      ...(await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
    ];
    await ctx.h.stop(queued);
    expect(await ctx.h.waitForStatus(queued, [FAILED], 10_000)).toMatchObject({ remark: 'stopped by request', start_time: null });
    expect((await ctx.h.get(after)).status).toBe(PENDING);

    await ctx.h.stop(busy);
    await ctx.h.waitForStatus(after, [COMPLETED], 30_000);
    expect(runsOn(phone)).toHaveLength(2);
  });

  test('deleting a running task stops it first: the row is gone, the session closed, the phone free', async () => {
    const phone = await ctx.h.addPhone();
    const [running] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await scriptRunning(running, phone);
    const [next] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });

    const res = await ctx.h.http().delete(`/api/v1/task/${running}`);
    expect(res.body.data).toEqual({ task_id: running, stopped: true });
    expect(await ctx.h.row(running)).toBeNull();
    await ctx.h.waitForStatus(next, [COMPLETED], 30_000);
    expect(await sessionsOf(phone)).toEqual([]);
    expect(await ctx.h.row(running)).toBeNull();
  });

  test('a scheduled task deleted before its time never runs', async () => {
    const phone = await ctx.h.addPhone();
    const [scheduled] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), start_time: laterToday() });
    expect(await ctx.h.get(scheduled)).toMatchObject({ status: PENDING, scheduled_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:00$/) });
    await ctx.h.remove(scheduled);

    // The phone takes a later task at once: the deleted one holds no place in its queue.
    const [now] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });
    await ctx.h.waitForStatus(now, [COMPLETED], 30_000);
    expect(runsOn(phone)).toHaveLength(1);
    expect(await ctx.h.row(scheduled)).toBeNull();
  });

  test('batch delete stops the running and queued tasks it deletes', async () => {
    const phone = await ctx.h.addPhone();
    const ids = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await scriptRunning(ids[0], phone);
    const queued = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });

    const res = await ctx.h
      .http()
      .delete('/api/v1/task/batch')
      .send({ task_ids: [...ids, ...queued] });
    expect(res.body.data).toMatchObject({ deleted_count: 2, not_found_ids: [] });
    const deadline = Date.now() + 10_000;
    for (let i = 0; i < 100 && Date.now() < deadline && (await sessionsOf(phone)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sessionsOf(phone)).toEqual([]);
    expect(runsOn(phone)).toHaveLength(1);
  });
});

/** An "HH:MM" later today, in the zone the app resolves start_time in (the system's here). */
function laterToday(): string {
  const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  const later = hhmm(Date.now() + 60 * 60_000);
  return later > hhmm(Date.now()) ? later : '23:59';
}
