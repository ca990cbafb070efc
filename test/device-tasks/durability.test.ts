import { DeviceTask } from '../../db/entities';
import { fanOut, parseScriptConfig } from '../../devices';
import { ensureDeviceSweeper } from '../../worker/device-sweeper';
import { useAppium } from '../support/appium';
import { DB_KINDS } from '../support/databases';
import { COMPLETED, FAILED, PENDING, startDeviceHarness, warmup, type DeviceHarness } from './harness';

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
    await h?.worker.temporal.client.workflow.getHandle(sweeperId).terminate('test over').catch(() => undefined);
    await h?.close();
    await appium?.release();
  });

  test('tasks committed without a workflow (the API stopped in between) are started by the sweeper and run', async () => {
    const phone = await h.addPhone();
    const parsed = parseScriptConfig('account_warmup', warmup(1));
    if (!parsed.ok) throw new Error(parsed.message);
    // What POST /api/v1/task commits before it starts workflows.
    const rows = await h.t.deps.services.deviceTasks.create({
      serials: [phone],
      scriptName: 'account_warmup',
      configs: fanOut('account_warmup', parsed.config),
      enableMultiAccount: false,
      runAt: null,
      minIntervalSeconds: 0,
      maxIntervalSeconds: 0,
      source: 'api',
    });
    const id = rows[0].id;
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
});
