import { DeviceTask } from '../../db/entities';
import { fanOut, parseScriptConfig } from '../../devices';
import { attemptSeq } from '../../domain';
import { ensureDeviceSweeper } from '../../temporal/task-workflows/singletons';
import { useAppium } from '../support/appium';
import { DB_KINDS } from '../support/databases';
import { COMPLETED, FAILED, openSessionsOf, PENDING, RUNNING, startDeviceHarness, warmup, type DeviceHarness } from './harness';

describe.each(DB_KINDS)('device tasks survive a lost workflow start (%s)', (kind) => {
  let appium: Awaited<ReturnType<typeof useAppium>>;
  let h: DeviceHarness;
  let sweeperId: string;
  beforeAll(async () => {
    appium = await useAppium();
    h = await startDeviceHarness(kind, { APPIUM_URL: appium.url });
    sweeperId = `device-task-sweeper-${h.worker.taskQueue}`;
    await ensureDeviceSweeper(h.worker.temporal.client, h.worker.taskQueue, 1, sweeperId);
  });
  afterAll(async () => {
    await h?.worker.temporal.client.workflow
      .getHandle(sweeperId)
      .terminate('test over')
      .catch(() => undefined);
    await h?.close();
    await appium?.release();
  });

  /** What POST /api/v1/task commits before it starts workflows: a one-second warm-up row, no workflow yet. */
  async function commitWithoutWorkflow(phone: string) {
    const parsed = parseScriptConfig('account_warmup', warmup(1));
    if (!parsed.ok) throw new Error(parsed.message);
    const [row] = await h.t.deps.services.deviceTasks.create({
      serials: [phone],
      scriptName: 'account_warmup',
      configs: fanOut('account_warmup', parsed.config),
      enableMultiAccount: false,
      runAt: null,
      minIntervalSeconds: 0,
      maxIntervalSeconds: 0,
      source: 'api',
    });
    return row;
  }

  test('tasks committed without a workflow (the API stopped in between) are started by the sweeper and run', async () => {
    const phone = await h.addPhone();
    const { id } = await commitWithoutWorkflow(phone);
    // A fresh row is left alone for a minute: its API may still be starting it.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await h.get(id)).toMatchObject({ status: PENDING });
    expect((await h.row(id))!.dispatchedAt).toBeNull();
    expect(h.runs.filter((r) => r.serial === phone)).toHaveLength(0);

    await h.t.db.orm.em.fork().nativeUpdate(DeviceTask, { id }, { createdAt: Date.now() - 120_000, updatedAt: Date.now() - 120_000 });
    const done = await h.waitForStatus(id, [COMPLETED, FAILED], 30_000);
    expect(done).toMatchObject({ status: COMPLETED, workflow_id: `device-${id}` });
    expect((await h.row(id))!.dispatchedAt).not.toBeNull();
    expect(h.runs.filter((r) => r.serial === phone)).toHaveLength(1);
  });

  test('a task whose "running" write landed before its worker died is run, not taken for stopped', async () => {
    // The worker wrote the row (a local activity) and was killed before its workflow task
    // completed; the task's next workflow task re-runs that write on another worker.
    const phone = await h.addPhone();
    const row = await commitWithoutWorkflow(phone);
    expect(await h.t.deps.services.deviceTasks.apply(row.id, attemptSeq(0, 1), { status: RUNNING, startedAt: Date.now(), endedAt: null, remark: '' })).toBe(
      true,
    );
    // The same write again (the re-run) is known as applied; an older one is not.
    expect(await h.t.deps.services.deviceTasks.apply(row.id, attemptSeq(0, 1), { status: RUNNING, startedAt: Date.now(), endedAt: null, remark: '' })).toBe(
      true,
    );
    expect(await h.t.deps.services.deviceTasks.apply(row.id, attemptSeq(0, 0), { remark: 'late' })).toBe(false);

    await h.t.deps.workflows.device.start((await h.row(row.id))!);
    expect(await h.waitForStatus(row.id, [COMPLETED, FAILED], 30_000)).toMatchObject({ status: COMPLETED });
    expect(h.runs.filter((r) => r.serial === phone)).toHaveLength(1);
  });

  test('a task whose workflow an operator terminated is ended by the sweeper, its session closed and its phone passed on', async () => {
    const phone = await h.addPhone();
    const [running] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await h.waitForStatus(running, [RUNNING]);
    const [queued] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    expect(await h.get(queued)).toMatchObject({ status: PENDING });
    const [last] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });

    const client = h.worker.temporal.client;
    await client.workflow.getHandle(`device-${queued}`).terminate('operator terminated the queued one');
    await client.workflow.getHandle(`device-${running}`).terminate('operator terminated the running one');

    for (const id of [running, queued]) {
      expect(await h.waitForStatus(id, [FAILED, COMPLETED], 30_000)).toMatchObject({
        status: FAILED,
        remark: 'its workflow was terminated in Temporal before the task finished',
      });
      expect((await h.row(id))!.endedAt).not.toBeNull();
    }
    // The script noticed on its next heartbeat and closed its Appium session.
    // (Only its own: the last task may already hold a new one on the phone.)
    const [terminatedRun] = h.runs.filter((r) => r.serial === phone);
    expect(terminatedRun.sessionId).toEqual(expect.any(String));
    const stillOpen = async () => (await openSessionsOf(appium.url, phone)).includes(terminatedRun.sessionId!);
    for (let i = 0; i < 100 && (await stillOpen()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stillOpen()).toBe(false);
    expect(await h.waitForStatus(last, [COMPLETED, FAILED], 30_000)).toMatchObject({ status: COMPLETED });
  });

  test('a row stopped and retried after its run was terminated is left to the new run', async () => {
    const phone = await h.addPhone();
    const [id] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await h.waitForStatus(id, [RUNNING]);
    await h.worker.temporal.client.workflow.getHandle(`device-${id}`).terminate('operator terminated it');
    // Whoever gets there first (this stop or the sweeper) ends the row; the retry then runs it again.
    const stop = await h.http().post(`/api/v1/task/${id}/stop`);
    expect([0, 40001]).toContain(stop.body.code);
    await h.waitForStatus(id, [FAILED], 30_000);
    const retry = await h.http().post(`/api/v1/task/${id}/retry`);
    expect(retry.body).toMatchObject({ code: 0 });
    await h.waitForStatus(id, [RUNNING], 30_000);
    // Several sweeper rounds pass while the new run holds the phone.
    await new Promise((r) => setTimeout(r, 3000));
    expect(await h.get(id)).toMatchObject({ status: RUNNING, retry_count: 1 });
    await h.stop(id);
    expect(await h.waitForStatus(id, [FAILED], 30_000)).toMatchObject({ remark: 'stopped by request' });
  });
});
