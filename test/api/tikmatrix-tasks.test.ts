import { DeviceTask } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startDeviceHarness, warmup, type DeviceHarness } from '../device-tasks/harness';

const FAILED = 3;

/**
 * The TikMatrix task API over a real database and Temporal, with no Appium configured:
 * every task that runs fails at once with a clear remark, which is what the retry paths need.
 */
describe.each(DB_KINDS)('TikMatrix task API (%s)', (kind) => {
  let h: DeviceHarness;
  let phoneA: string;
  let phoneB: string;
  beforeAll(async () => {
    h = await startDeviceHarness(kind, { DEVICE_TASK_MAX_RETRIES: '2' });
    phoneA = await h.addPhone();
    phoneB = await h.addPhone();
  });
  afterAll(() => h?.close());

  const taskCount = () => h.t.db.orm.em.fork().count(DeviceTask, {});

  test('creates one task per serial and returns their ids in TikMatrix envelope; detail carries the TikMatrix fields and the workflow id', async () => {
    const res = await h
      .http()
      .post('/api/v1/task')
      .send({ serials: [phoneA, phoneB], script_name: 'account_warmup', script_config: warmup(5) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 0, message: 'success', data: { task_ids: [expect.any(Number), expect.any(Number)], created_count: 2 } });

    const [first, second] = res.body.data.task_ids as number[];
    const detail = await h.get(first);
    expect(detail).toMatchObject({
      id: first,
      serial: phoneA,
      username: '',
      script_name: 'account_warmup',
      script_config: expect.objectContaining({ task_duration: 5 }),
      source: 'api',
      retry_count: 0,
      workflow_id: `device-${first}`,
    });
    expect(detail.status).toEqual(expect.any(Number));
    for (const field of ['start_time', 'end_time', 'remark', 'created_at', 'updated_at', 'scheduled_time']) expect(detail).toHaveProperty(field);
    expect(detail.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await h.get(second)).serial).toBe(phoneB);
  });

  test('a task fails with a clear remark when no Appium server is configured, with start and end times', async () => {
    const [id] = await h.create({ serials: [phoneA], script_name: 'account_warmup', script_config: warmup(5) });
    const done = await h.waitForStatus(id, [FAILED]);
    expect(done.remark).toMatch(/APPIUM_URL is not set/);
    expect(done.start_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(done.end_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('enable_multi_account makes one task per enabled account on each phone; username mode runs on the bound phone', async () => {
    await h.addAccount(`alice_${kind}`, phoneA);
    await h.addAccount(`bob_${kind}`, phoneA);
    await h.addAccount(`carol_${kind}`, phoneA, { enabled: false });
    await h.addAccount(`dave_${kind}`, phoneB);

    const multi = await h.create({ serials: [phoneA, phoneB], script_name: 'account_warmup', script_config: warmup(5), enable_multi_account: true });
    const rows = await Promise.all(multi.map((id) => h.get(id)));
    expect(rows.map((r) => [r.serial, r.username])).toEqual([
      [phoneA, `alice_${kind}`],
      [phoneA, `bob_${kind}`],
      [phoneB, `dave_${kind}`],
    ]);

    // enable_multi_account only means something in device mode; with usernames it is ignored.
    const byName = await h.create({
      usernames: [`dave_${kind}`, `alice_${kind}`],
      script_name: 'account_warmup',
      script_config: warmup(5),
      enable_multi_account: true,
    });
    expect((await Promise.all(byName.map((id) => h.get(id)))).map((r) => [r.serial, r.username])).toEqual([
      [phoneB, `dave_${kind}`],
      [phoneA, `alice_${kind}`],
    ]);
  });

  test('follow fans out one task per target user × phone, each with its own target', async () => {
    const ids = await h.create({ serials: [phoneA, phoneB], script_name: 'follow', script_config: { target_users: ['ann', 'ben', 'cy'] } });
    expect(ids).toHaveLength(6);
    const rows = await Promise.all(ids.map((id) => h.get(id)));
    const pairs = rows.map((r) => `${r.serial}:${JSON.stringify((r.script_config as { target_users: string[] }).target_users)}`);
    expect(new Set(pairs).size).toBe(6);
    expect(rows.every((r) => (r.script_config as { target_users: string[] }).target_users.length === 1)).toBe(true);
  });

  test.each([
    ['neither serials nor usernames', () => ({ script_name: 'follow', script_config: { target_users: ['x'] } }), 40001, /serials \(device mode\) or usernames/],
    [
      'both serials and usernames',
      () => ({ serials: [phoneA], usernames: ['someone'], script_name: 'follow', script_config: { target_users: ['x'] } }),
      40001,
      /either serials .* or usernames/,
    ],
    [
      'an unknown serial',
      () => ({ serials: [phoneA, 'NO-SUCH-PHONE'], script_name: 'follow', script_config: { target_users: ['x'] } }),
      40401,
      /unknown device serial: NO-SUCH-PHONE/,
    ],
    [
      'an unknown username',
      () => ({ usernames: ['nobody_here'], script_name: 'follow', script_config: { target_users: ['x'] } }),
      40401,
      /unknown username: nobody_here/,
    ],
    [
      'a disabled account',
      () => ({ usernames: [`carol_${kind}`], script_name: 'follow', script_config: { target_users: ['x'] } }),
      40001,
      /account carol_\w+ is disabled/,
    ],
    ['a missing script_name', () => ({ serials: [phoneA], script_config: {} }), 40002, /script_name is required/],
    ['an unknown script', () => ({ serials: [phoneA], script_name: 'super_marketing', script_config: {} }), 40003, /"super_marketing" is not supported/],
    ['a bad script_config', () => ({ serials: [phoneA], script_name: 'follow', script_config: {} }), 40001, /invalid script_config for follow/],
    [
      'start_time "25:61"',
      () => ({ serials: [phoneA], script_name: 'follow', script_config: { target_users: ['x'] }, start_time: '25:61' }),
      40001,
      /start_time: must be "HH:MM"/,
    ],
    [
      'max_interval below min_interval',
      () => ({ serials: [phoneA], script_name: 'follow', script_config: { target_users: ['x'] }, min_interval: 5, max_interval: 2 }),
      40001,
      /max_interval \(2\) must not be below min_interval \(5\)/,
    ],
  ])('refuses %s with its TikMatrix code and creates nothing', async (_what, body, code, message) => {
    const before = await taskCount();
    const res = await h.http().post('/api/v1/task').send(body());
    expect(res.body).toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await taskCount()).toBe(before);
  });

  test('a disabled phone refuses new tasks', async () => {
    const phone = await h.addPhone('warmup.xml', { enabled: false });
    const res = await h
      .http()
      .post('/api/v1/task')
      .send({ serials: [phone], script_name: 'account_warmup', script_config: warmup(5) });
    expect(res.body).toMatchObject({ code: 40001, message: `device ${phone} is disabled` });
  });

  test('the list filters by status, serial, script_name and source, pages newest first, and refuses page_size 1000', async () => {
    const page = await h.http().get('/api/v1/task').query({ serial: phoneB, page_size: 2 });
    expect(page.body.code).toBe(0);
    expect(page.body.data).toMatchObject({ page: 1, page_size: 2, total: expect.any(Number) });
    expect(page.body.data.tasks).toHaveLength(2);
    expect(page.body.data.tasks.every((t: { serial: string }) => t.serial === phoneB)).toBe(true);
    expect(page.body.data.tasks[0].id).toBeGreaterThan(page.body.data.tasks[1].id);

    const follows = await h.http().get('/api/v1/task').query({ script_name: 'follow', source: 'api', page_size: 100 });
    expect(follows.body.data.total).toBe(6);
    const fromUi = await h.http().get('/api/v1/task').query({ source: 'ui' });
    expect(fromUi.body.data).toMatchObject({ tasks: [], total: 0 });

    const tooBig = await h.http().get('/api/v1/task').query({ page_size: 1000 });
    expect(tooBig.body).toMatchObject({ code: 40001, message: expect.stringMatching(/page_size: must be between 1 and 100/) });
    const badStatus = await h.http().get('/api/v1/task').query({ status: 7 });
    expect(badStatus.body).toMatchObject({ code: 40001, message: expect.stringMatching(/status: must be 0 \(pending\)/) });
  });

  test('stats match the list, status by status', async () => {
    const ids = (await h.http().get('/api/v1/task').query({ page_size: 100 })).body.data.tasks.map((t: { id: number }) => t.id) as number[];
    await Promise.all(ids.map((id) => h.waitForStatus(id, [FAILED])));

    const stats = (await h.http().get('/api/v1/task/stats')).body.data;
    const totalOf = async (status?: number) =>
      (
        await h
          .http()
          .get('/api/v1/task')
          .query(status === undefined ? {} : { status })
      ).body.data.total;
    expect(stats).toEqual({
      total: await totalOf(),
      pending: await totalOf(0),
      running: await totalOf(1),
      completed: await totalOf(2),
      failed: await totalOf(3),
    });
    expect(stats.failed).toBe(stats.total);
    const forB = (await h.http().get('/api/v1/task/stats').query({ serial: phoneB })).body.data;
    expect(forB.total).toBe((await h.http().get('/api/v1/task').query({ serial: phoneB })).body.data.total);
  });

  test('retry runs a failed task again and counts it; retry of a task that is not failed, or beyond the limit, is refused', async () => {
    const [id] = await h.create({ serials: [phoneA], script_name: 'account_warmup', script_config: warmup(5) });
    await h.waitForStatus(id, [FAILED]);

    const first = await h.http().post(`/api/v1/task/${id}/retry`);
    expect(first.body).toMatchObject({ code: 0, data: { id, retry_count: 1 } });
    const again = await h.waitFor(id, (t) => t.status === FAILED && t.retry_count === 1);
    expect(again.remark).toMatch(/APPIUM_URL is not set/);
    await h.http().post(`/api/v1/task/${id}/retry`);
    await h.waitFor(id, (t) => t.status === FAILED && t.retry_count === 2);

    const capped = await h.http().post(`/api/v1/task/${id}/retry`);
    expect(capped.body).toMatchObject({ code: 40001, message: expect.stringMatching(/retried 2 times, the limit \(DEVICE_TASK_MAX_RETRIES=2\)/) });
    expect((await h.get(id)).retry_count).toBe(2);

    const [pending] = await h.create({ serials: [phoneA], script_name: 'account_warmup', script_config: warmup(5), start_time: inAnHour() });
    const early = await h.http().post(`/api/v1/task/${pending}/retry`);
    expect(early.body).toMatchObject({ code: 40001, message: `task ${pending} is pending; only failed tasks can be retried` });
    const unknown = await h.http().post('/api/v1/task/999999999/retry');
    expect(unknown.body).toMatchObject({ code: 40401, message: 'task 999999999 not found' });
    await h.remove(pending);
  });

  test('stop of a task that already ended is refused and changes nothing', async () => {
    const [id] = await h.create({ serials: [phoneA], script_name: 'account_warmup', script_config: warmup(5) });
    const failed = await h.waitForStatus(id, [FAILED]);
    const res = await h.http().post(`/api/v1/task/${id}/stop`);
    expect(res.body).toMatchObject({ code: 40001, message: `task ${id} is failed; only pending or running tasks can be stopped` });
    expect(await h.get(id)).toEqual(failed);
  });

  test('retry-all retries the failed tasks that may run again and reports the others as skipped', async () => {
    const quiet = await h.addPhone();
    const retriable = await h.create({ serials: [quiet], script_name: 'account_warmup', script_config: warmup(5) });
    const onDisabled = await h.addPhone();
    const blocked = await h.create({ serials: [onDisabled], script_name: 'account_warmup', script_config: warmup(5) });
    await Promise.all([...retriable, ...blocked].map((id) => h.waitForStatus(id, [FAILED])));
    await h.http().post('/api/v1/device').send({ serial: onDisabled, enabled: false });
    const failedBefore = (await h.http().get('/api/v1/task/stats')).body.data.failed as number;
    const atLimit = (await h.t.db.orm.em.fork().find(DeviceTask, { status: FAILED, retryCount: { $gte: 2 } })).length;

    const res = await h.http().post('/api/v1/task/retry-all');
    expect(res.body.code).toBe(0);
    expect(res.body.data.retried_count + res.body.data.skipped_count).toBe(failedBefore);
    expect(res.body.data.skipped_count).toBe(atLimit + blocked.length);
    expect((await h.get(retriable[0])).retry_count).toBe(1);
    expect((await h.get(blocked[0])).retry_count).toBe(0);
    // The retried ones fail again (no Appium): let them settle before the next test counts.
    const ids = (await h.http().get('/api/v1/task').query({ page_size: 100 })).body.data.tasks.map((t: { id: number }) => t.id) as number[];
    await Promise.all(ids.map((id) => h.waitForStatus(id, [FAILED, 2])));
  });

  test('batch delete reports the ids it deleted and the ids that do not exist; all unknown is a 40401', async () => {
    const ids = await h.create({ serials: [phoneA, phoneB], script_name: 'account_warmup', script_config: warmup(5), start_time: inAnHour() });
    const res = await h
      .http()
      .delete('/api/v1/task/batch')
      .send({ task_ids: [...ids, 999999999] });
    expect(res.body).toEqual({ code: 0, message: 'success', data: { deleted_ids: ids, not_found_ids: [999999999], deleted_count: 2 } });
    expect(await h.t.db.orm.em.fork().count(DeviceTask, { id: { $in: ids } })).toBe(0);

    const none = await h
      .http()
      .delete('/api/v1/task/batch')
      .send({ task_ids: [999999998] });
    expect(none.body).toMatchObject({ code: 40401, message: 'none of these tasks exist: 999999998' });
    const empty = await h.http().delete('/api/v1/task/batch').send({ task_ids: [] });
    expect(empty.body).toMatchObject({ code: 40001, message: expect.stringMatching(/task_ids: give at least one task id/) });
  });

  test('delete of one task removes it; detail and delete of an unknown id answer 40401', async () => {
    const [id] = await h.create({ serials: [phoneA], script_name: 'account_warmup', script_config: warmup(5), start_time: inAnHour() });
    const res = await h.http().delete(`/api/v1/task/${id}`);
    expect(res.body).toEqual({ code: 0, message: 'success', data: { task_id: id, stopped: true } });
    expect((await h.http().get(`/api/v1/task/${id}`)).body).toMatchObject({ code: 40401, message: `task ${id} not found` });
    expect((await h.http().delete(`/api/v1/task/${id}`)).body).toMatchObject({ code: 40401 });
    expect((await h.http().get('/api/v1/task/abc')).body).toMatchObject({ code: 40001, message: expect.stringMatching(/^invalid params/) });
  });
});

/** An "HH:MM" later today in the server's zone (the test config's TZ is the system's): about an hour ahead, at most 23:59. */
function inAnHour(): string {
  const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  const later = hhmm(Date.now() + 60 * 60_000);
  return later > hhmm(Date.now()) ? later : '23:59';
}
