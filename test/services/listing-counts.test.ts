import { DeviceTask, MjTask, Task } from '../../db/entities';
import type { Em } from '../../db/orm';
import { DeviceTaskStatus } from '../../domain';
import { createServices, type Services } from '../../services';
import { pageRequest } from '../../services/paging';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';
import { seedUser } from '../support/fixtures';

/**
 * The counter cells behind every filtered total, checked against COUNT(*) over the rows after
 * inserts, status changes, replays, late writes and concurrent writers, on both databases.
 */
describe.each(DB_KINDS)('listing counters on %s', (kind) => {
  let db: TestDatabase;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    services = createServices(db.orm);
  });
  afterAll(() => db?.destroy());

  const fork = () => db.orm.em.fork() as Em;
  const newTask = (userId: number, action = 'MUSIC') => services.tasks.create({ platform: 'suno', action, userId, tokenId: null, quota: 10, properties: {} });
  const total = async (filter: Parameters<Services['tasks']['list']>[0]) => (await services.tasks.list(filter, pageRequest(1, 10))).total;

  /** Every counted total the task listings offer, next to COUNT(*) over the rows. */
  async function expectTaskTotalsMatchRows(userIds: number[]): Promise<void> {
    const statuses = ['NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'SUCCESS', 'FAILURE'] as const;
    for (const userId of [undefined, ...userIds]) {
      const owner = userId === undefined ? {} : { userId };
      expect(await total(owner)).toBe(await fork().count(Task, owner));
      for (const status of statuses) expect([status, await total({ ...owner, status })]).toEqual([status, await fork().count(Task, { ...owner, status })]);
      for (const action of ['MUSIC', 'LYRICS']) expect(await total({ ...owner, action })).toBe(await fork().count(Task, { ...owner, action }));
      expect(await total({ ...owner, platform: 'suno' })).toBe(await fork().count(Task, owner));
      for (const channelId of [0, 1, 2]) expect(await total({ ...owner, channelId })).toBe(await fork().count(Task, { ...owner, channelId }));
      expect(await total({ ...owner, status: 'SUCCESS', action: 'MUSIC' })).toBe(await fork().count(Task, { ...owner, status: 'SUCCESS', action: 'MUSIC' }));
    }
  }

  test('a status change moves the task between cells, once: replays and late writes move nothing', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const { task } = await newTask(user.id);
    const other = (await newTask(user.id, 'LYRICS')).task;
    expect(await total({ userId: user.id, status: 'NOT_START' })).toBe(2);

    expect(await services.tasks.apply(task.taskId, 1, { status: 'SUBMITTED', channelId: 1, upstreamTaskId: 'up-1' })).toBe(true);
    expect(await services.tasks.apply(task.taskId, 1, { status: 'SUBMITTED', channelId: 1 })).toBe(false); // a retried activity
    expect(await services.tasks.apply(task.taskId, 2, { status: 'IN_PROGRESS', progress: '50%' })).toBe(true);
    expect(await services.tasks.apply(task.taskId, 2, { status: 'IN_PROGRESS' })).toBe(false);
    expect(await services.tasks.apply(task.taskId, 1, { status: 'SUBMITTED' })).toBe(false); // late: older than what is there
    expect(await services.tasks.apply(task.taskId, 3, { progress: '70%' })).toBe(true); // no counted column
    expect(await services.tasks.apply(task.taskId, 4, { status: 'SUCCESS', progress: '100%' })).toBe(true);

    expect(await total({ userId: user.id, status: 'SUCCESS' })).toBe(1);
    expect(await total({ userId: user.id, status: 'IN_PROGRESS' })).toBe(0);
    expect(await total({ userId: user.id, status: 'NOT_START' })).toBe(1);
    expect(await total({ userId: user.id, channelId: 1 })).toBe(1);
    expect(await total({ userId: user.id, action: 'LYRICS', status: 'NOT_START' })).toBe(1);

    // Fail and refund, then the same again (a retried activity): one move to FAILURE.
    await services.tasks.failAndRefund(other.taskId, 5, 'upstream said no');
    await services.tasks.failAndRefund(other.taskId, 5, 'upstream said no');
    expect(await total({ userId: user.id, status: 'FAILURE' })).toBe(1);
    await expectTaskTotalsMatchRows([user.id]);
  });

  test('concurrent creates and concurrent out-of-order writes leave every cell equal to COUNT(*)', async () => {
    const users = [await seedUser(db.orm, 1_000_000), await seedUser(db.orm, 1_000_000)];
    const created = await Promise.all(Array.from({ length: 24 }, (_, i) => newTask(users[i % 2].id, i % 3 === 0 ? 'LYRICS' : 'MUSIC')));
    const steps = [{ status: 'SUBMITTED', channelId: 1 + (created.length % 2) }, { status: 'IN_PROGRESS' }, { status: 'SUCCESS' }] as const;
    // Every task gets its three writes at once, in a shuffled order, each sent twice (a retry).
    await Promise.all(
      created.flatMap(({ task }, i) =>
        [2, 0, 1, 2, 1, 0]
          .map((s) => ({ seq: s + 1, patch: i % 4 === 3 && s === 2 ? { status: 'FAILURE' as const } : { ...steps[s] } }))
          .map(({ seq, patch }) => services.tasks.apply(task.taskId, seq, patch)),
      ),
    );
    // The last write wins whatever the order: seq 3.
    expect(await fork().count(Task, { taskId: { $in: created.map((c) => c.task.taskId) }, status: { $in: ['SUCCESS', 'FAILURE'] } })).toBe(24);
    await expectTaskTotalsMatchRows(users.map((u) => u.id));
  });

  test('a burst of charged submits racing projection writes of the same user commits every one, charged once each', async () => {
    const user = await seedUser(db.orm, 10_000_000);
    const existing = await Promise.all(Array.from({ length: 60 }, () => newTask(user.id)));
    const fresh: unknown[] = [];
    let next = 0;
    // 32 submits in flight at a time (the benchmark's load), while every existing task takes its writes.
    const submits = Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < 240 && next < 240; i++) {
          next++;
          fresh.push(await newTask(user.id));
        }
      }),
    );
    const writes = Promise.all(
      existing.flatMap(({ task }, i) =>
        [1, 2, 3].map((seq) => services.tasks.apply(task.taskId, seq, { status: seq === 3 ? 'SUCCESS' : 'IN_PROGRESS', progress: `${seq * 30 + (i % 10)}%` })),
      ),
    );
    await Promise.all([submits, writes]);
    expect(fresh).toHaveLength(240);
    expect(await fork().count(Task, { userId: user.id })).toBe(300);
    const balance = await fork().getConnection().execute<{ quota: number }[]>('select quota from users where id = ?', [user.id]);
    expect(Number(balance[0].quota)).toBe(10_000_000 - 300 * 10);
    await expectTaskTotalsMatchRows([user.id]);
  });

  test('Midjourney cells follow status and channel changes the same way', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const create = () =>
      services.midjourney.create({
        userId: user.id,
        tokenId: null,
        action: 'IMAGINE',
        parentMjId: null,
        channelId: 0,
        prompt: 'p',
        request: { route: 'imagine', body: {} },
        quota: 10,
      });
    const tasks = await Promise.all(Array.from({ length: 6 }, create));
    await Promise.all(
      tasks.map(({ task }, i) => services.midjourney.apply(task.mjId, 1, { status: 'SUBMITTED', channelId: 1 + (i % 2), upstreamTaskId: `u${i}` })),
    );
    await services.midjourney.apply(tasks[0].task.mjId, 1, { status: 'SUBMITTED', channelId: 2 }); // replay with another channel: ignored
    await services.midjourney.failAndRefund(tasks[1].task.mjId, 2, 'banned');
    const mjTotal = async (filter: Parameters<Services['midjourney']['list']>[0]) => (await services.midjourney.list(filter, pageRequest(1, 10))).total;
    for (const channelId of [0, 1, 2]) {
      expect(await mjTotal({ userId: user.id, channelId })).toBe(await fork().count(MjTask, { userId: user.id, channelId }));
      expect(await mjTotal({ channelId })).toBe(await fork().count(MjTask, { channelId }));
    }
    expect(await mjTotal({ userId: user.id })).toBe(6);
  });

  test('device-task cells follow creation, status writes, stops without a workflow, retries and deletes', async () => {
    for (const serial of ['phone-a', 'phone-b']) await services.devices.save({ serial }, 100);
    const make = (serials: string[], scriptName: string, source: 'api' | 'ui') =>
      services.deviceTasks.create({
        serials,
        scriptName,
        configs: [{}, {}],
        enableMultiAccount: false,
        runAt: null,
        minIntervalSeconds: 0,
        maxIntervalSeconds: 0,
        source,
      });
    const rows = [...(await make(['phone-a', 'phone-b'], 'follow', 'api')), ...(await make(['phone-a'], 'post', 'ui'))];
    await Promise.all([
      services.deviceTasks.apply(rows[0].id, 1, { status: DeviceTaskStatus.running }),
      services.deviceTasks.apply(rows[0].id, 1, { status: DeviceTaskStatus.running }),
      services.deviceTasks.apply(rows[1].id, 2, { status: DeviceTaskStatus.completed }),
      services.deviceTasks.failWithoutWorkflow(rows[2], 'gone'),
      services.deviceTasks.failWithoutWorkflow(rows[2], 'gone'),
    ]);
    const failed = (await services.deviceTasks.get(rows[2].id))!;
    await Promise.all([services.deviceTasks.resetForRetry(failed), services.deviceTasks.resetForRetry(failed)]);
    await services.deviceTasks.remove([rows[3].id, rows[3].id, 999_999]);

    const dtTotal = async (filter: Parameters<Services['deviceTasks']['list']>[0]) => (await services.deviceTasks.list(filter, pageRequest(1, 20))).total;
    const where = (f: { status?: number; serial?: string; scriptName?: string; source?: string }) => f as Record<string, unknown>;
    for (const filter of [{}, { serial: 'phone-a' }, { scriptName: 'post' }, { source: 'ui' }, { serial: 'phone-b', scriptName: 'follow' }]) {
      for (const status of [undefined, 0, 1, 2, 3] as const) {
        const f = status === undefined ? filter : { ...filter, status };
        expect([f, await dtTotal(f as never)]).toEqual([f, await fork().count(DeviceTask, where(f))]);
      }
      const stats = await services.deviceTasks.stats(filter);
      expect(stats.total).toBe(await fork().count(DeviceTask, where(filter)));
      expect(stats.pending).toBe(await fork().count(DeviceTask, where({ ...filter, status: 0 })));
    }
  });
});
