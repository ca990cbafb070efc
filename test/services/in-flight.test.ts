import { ChannelType } from '../../db/entities';
import { createServices, type Services } from '../../services';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';
import { seedUser } from '../support/fixtures';

/**
 * The poller reads every in-flight task each round as plain rows, not entities, and compares
 * their columns with what the upstream reports: JSON must come back as values, and only tasks
 * at an upstream, grouped by channel, oldest first.
 */
describe.each(DB_KINDS)('in-flight rows for the batched poller (%s)', (kind) => {
  let db: TestDatabase;
  let services: Services;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    services = createServices(db.orm);
  });
  afterAll(() => db?.destroy());

  test('are the tasks at an upstream, by channel, oldest first, with their JSON data as values', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const a = await services.channels.create({ type: ChannelType.suno, name: 'a', key: 'k', baseUrl: 'http://127.0.0.1:9' });
    const b = await services.channels.create({ type: ChannelType.suno, name: 'b', key: 'k', baseUrl: 'http://127.0.0.1:9' });
    const make = async (channelId: number, upstreamTaskId: string | null, patch: Record<string, unknown> = {}) => {
      const { task } = await services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: user.id, tokenId: null, quota: 1, properties: {} });
      if (upstreamTaskId) await services.tasks.apply(task.taskId, 1, { channelId, upstreamTaskId, status: 'IN_PROGRESS', ...patch });
      return task.taskId;
    };
    const first = await make(a.id, 'up-1', { data: [{ id: 'clip', title: 'x' }], progress: '40%' });
    const second = await make(b.id, 'up-2');
    const third = await make(a.id, 'up-3');
    await make(a.id, null); // not at an upstream yet
    await services.tasks.apply(await make(a.id, 'up-5'), 2, { status: 'SUCCESS' });

    const groups = await services.tasks.inFlightByChannel('suno', 100);
    expect([...groups.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(groups.get(a.id)!.map((r) => r.taskId)).toEqual([first, third]);
    expect(groups.get(b.id)!.map((r) => r.taskId)).toEqual([second]);
    expect(groups.get(a.id)![0]).toMatchObject({
      channelId: a.id,
      upstreamTaskId: 'up-1',
      status: 'IN_PROGRESS',
      progress: '40%',
      data: [{ id: 'clip', title: 'x' }],
    });
    expect(typeof groups.get(a.id)![0].id).toBe('number');
  });
});
