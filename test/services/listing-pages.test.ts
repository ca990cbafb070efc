import { DeviceTask, Task, type IDeviceTask, type ITask } from '../../db/entities';
import type { Em } from '../../db/orm';
import { createServices, type Services } from '../../services';
import { DEVICE_TASK_COUNTS } from '../../services/device-tasks';
import { adjustCounts } from '../../services/listing/counts';
import { BLOCK_WALK_FROM } from '../../services/listing/page';
import { pageRequest } from '../../services/paging';
import { TASK_COUNTS } from '../../services/tasks';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';

jest.setTimeout(120_000);

const ROWS = 5_200;
const STATUSES = ['SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILURE', 'IN_PROGRESS'] as const;

/**
 * Deep pages (offset walked on the index, id blocks past BLOCK_WALK_FROM) return exactly the rows
 * a plain `order by id desc limit … offset …` returns, for every filter, on both databases.
 */
describe.each(DB_KINDS)('deep pages on %s', (kind) => {
  let db: TestDatabase;
  let services: Services;
  const users = [7, 8];
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    services = createServices(db.orm);
    // Rows inserted in bulk, counted by the same code the services' writes use.
    const em = db.orm.em.fork() as Em;
    const now = Math.floor(Date.now() / 1000);
    for (let start = 0; start < ROWS; start += 500) {
      const rows = Array.from({ length: 500 }, (_, k) => {
        const n = start + k;
        return {
          taskId: `task_${String(n).padStart(32, '0')}`,
          platform: 'suno',
          // Mostly user 7, with user 8's rows interleaved, so a user's ids have gaps.
          userId: users[n % 5 === 4 ? 1 : 0],
          tokenId: null,
          channelId: 1 + (n % 3),
          quota: 1,
          action: n % 4 === 0 ? 'LYRICS' : 'MUSIC',
          status: STATUSES[n % STATUSES.length],
          submitTime: now + n,
          properties: { n },
          data: null,
          createdAt: now,
          updatedAt: now,
        };
      });
      await em.transactional(async (tx) => {
        const t = tx as Em;
        await t.insertMany(Task, rows);
        const inserted = await t.find(Task, { taskId: { $in: rows.map((r) => r.taskId) } }, { disableIdentityMap: true });
        await adjustCounts(
          t,
          TASK_COUNTS,
          inserted.map((row) => ({ row: row as ITask, delta: 1 })),
        );
      });
    }
    // Status changes after the fact move block counts too.
    const moved = await em.find(Task, { status: 'IN_PROGRESS' }, { fields: ['taskId'], limit: 300, orderBy: { id: 'asc' } });
    for (const t of moved) await services.tasks.apply(t.taskId, 1, { status: 'SUCCESS' });
  });
  afterAll(() => db?.destroy());

  const plain = async (where: Record<string, unknown>, offset: number, limit: number) =>
    (await (db.orm.em.fork() as Em).find(Task, where, { orderBy: { id: 'desc' }, offset, limit, fields: ['id'] })).map((t) => t.id);

  const filters: [string, Record<string, unknown>, Parameters<Services['tasks']['list']>[0]][] = [
    ['one user', { userId: 7 }, { userId: 7 }],
    ['another user', { userId: 8 }, { userId: 8 }],
    ['everyone', {}, {}],
    ['a user and a status', { userId: 7, status: 'FAILURE' }, { userId: 7, status: 'FAILURE' }],
    ['a user and a status changed after insert', { userId: 7, status: 'SUCCESS' }, { userId: 7, status: 'SUCCESS' }],
    ['a user and an action', { userId: 7, action: 'LYRICS' }, { userId: 7, action: 'LYRICS' }],
    ['a channel (admin)', { channelId: 2 }, { channelId: 2 }],
    ['a status and an action (no blocks: plain walk)', { userId: 7, status: 'SUCCESS', action: 'MUSIC' }, { userId: 7, status: 'SUCCESS', action: 'MUSIC' }],
  ];

  test.each(filters)('%s: every page size and depth gives the rows of a plain offset, and the total of COUNT(*)', async (_name, where, filter) => {
    const count = await (db.orm.em.fork() as Em).count(Task, where);
    const offsets = [0, 10, 1000, BLOCK_WALK_FROM - 1, BLOCK_WALK_FROM, BLOCK_WALK_FROM + 1023, count - 15, count - 1, count, count + 50].filter((o) => o >= 0);
    for (const offset of offsets) {
      for (const size of [10, 100]) {
        // Pages start at multiples of their size on the wire; any offset exercises the walk.
        const page = { page: Math.floor(offset / size) + 1, pageSize: size, offset };
        const listed = await services.tasks.list(filter, page);
        expect([offset, size, listed.items.map((t) => t.id)]).toEqual([offset, size, await plain(where, offset, size)]);
        expect(listed.total).toBe(count);
      }
    }
  });

  test('a deep page carries whole rows, with JSON and numbers as the entity has them', async () => {
    const listed = await services.tasks.list({ userId: 7 }, pageRequest(300, 10));
    const row = await (db.orm.em.fork() as Em).findOneOrFail(Task, { id: listed.items[0].id });
    expect(listed.items[0]).toEqual({ ...row });
    expect(typeof listed.items[0].submitTime).toBe('number');
    expect(listed.items[0].properties).toEqual({ n: expect.any(Number) });
  });

  test('device tasks: deep pages per status, serial, script and source match a plain offset', async () => {
    const em = db.orm.em.fork() as Em;
    const now = Date.now();
    const rows = Array.from({ length: 3_000 }, (_, n) => ({
      serial: `phone-${n % 3}`,
      username: null,
      scriptName: n % 2 ? 'follow' : 'post',
      scriptConfig: {},
      status: (n % 4) as 0 | 1 | 2 | 3,
      remark: '',
      source: n % 5 ? 'api' : 'ui',
      retryCount: 0,
      minIntervalSeconds: 0,
      maxIntervalSeconds: 0,
      runAt: null,
      startedAt: null,
      endedAt: null,
      workflowId: `device-${n}`,
      dispatchedAt: now,
      seq: 0,
      createdAt: now,
      updatedAt: now,
    }));
    await em.transactional(async (tx) => {
      const t = tx as Em;
      await t.insertMany(DeviceTask, rows);
      const inserted = await t.find(DeviceTask, { workflowId: { $in: rows.map((r) => r.workflowId) } }, { disableIdentityMap: true });
      await adjustCounts(
        t,
        DEVICE_TASK_COUNTS,
        inserted.map((row) => ({ row: row as IDeviceTask, delta: 1 })),
      );
    });
    for (const filter of [
      {},
      { status: 2 as const },
      { serial: 'phone-1' },
      { scriptName: 'follow' },
      { source: 'ui' },
      { serial: 'phone-0', status: 1 as const },
    ]) {
      const where = filter as Record<string, unknown>;
      const count = await em.count(DeviceTask, where);
      for (const offset of [0, 20, BLOCK_WALK_FROM, count - 5, count]) {
        if (offset < 0) continue;
        const listed = await services.deviceTasks.list(filter, { page: 1, pageSize: 20, offset });
        const expected = (await em.find(DeviceTask, where, { orderBy: { id: 'desc' }, offset, limit: 20, fields: ['id'] })).map((t) => t.id);
        expect([filter, offset, listed.items.map((t) => t.id)]).toEqual([filter, offset, expected]);
        expect(listed.total).toBe(count);
      }
    }
  });
});
