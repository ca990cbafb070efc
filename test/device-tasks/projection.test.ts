import { DeviceTask } from '../../db/entities';
import { createDeviceTasks } from '../../services/device-tasks';
import { attemptSeq, finalSeqOfAttempt } from '../../domain';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';

describe.each(DB_KINDS)('the device task projection (%s)', (kind) => {
  let db: TestDatabase;
  let tasks: ReturnType<typeof createDeviceTasks>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    tasks = createDeviceTasks(db.orm);
    const now = Date.now();
    await db.orm.em.fork().insert(DeviceTask, { serial: 'P1', scriptName: 'follow', scriptConfig: {}, workflowId: 'device-x', createdAt: now, updatedAt: now });
  });
  afterAll(() => db?.destroy());

  const id = async () => (await db.orm.em.fork().findOneOrFail(DeviceTask, { serial: 'P1' })).id;
  const read = async () => db.orm.em.fork().findOneOrFail(DeviceTask, { serial: 'P1' }, { disableIdentityMap: true });

  test('a late or repeated write from the same run cannot take the task back', async () => {
    const task = await id();
    expect(await tasks.apply(task, attemptSeq(0, 1), { status: 1, startedAt: 1000 })).toBe(true);
    expect(await tasks.apply(task, attemptSeq(0, 2), { status: 2, endedAt: 2000, remark: 'done' })).toBe(true);
    expect(await tasks.apply(task, attemptSeq(0, 1), { status: 1, startedAt: 1000 })).toBe(false);
    // The same write again (its first answer lost) is known as applied, and writes nothing.
    expect(await tasks.apply(task, attemptSeq(0, 2), { status: 2, endedAt: 3000, remark: 'again' })).toBe(true);
    expect(await read()).toMatchObject({ status: 2, remark: 'done', endedAt: 2000 });
  });

  test('ending a task without its workflow never overwrites an end its workflow already wrote', async () => {
    const task = await id();
    expect(await tasks.failWithoutWorkflow({ id: task, retryCount: 0 }, 'stopped')).toBe(false);
    expect((await read()).status).toBe(2);
  });

  test('a retry starts a new attempt that old runs cannot write into, and only one of two racing retries wins', async () => {
    const task = await id();
    await tasks.apply(task, finalSeqOfAttempt(0), { status: 3, remark: 'element not found at step 3' });
    const row = await read();
    const [a, b] = await Promise.all([tasks.resetForRetry(row), tasks.resetForRetry(row)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(await read()).toMatchObject({ status: 0, retryCount: 1, remark: '', startedAt: null, endedAt: null, dispatchedAt: null });
    // The previous attempt's last word arrives late: ignored.
    expect(await tasks.apply(task, finalSeqOfAttempt(0), { status: 3, remark: 'late' })).toBe(false);
    expect(await tasks.apply(task, attemptSeq(1, 1), { status: 1 })).toBe(true);
  });
});
