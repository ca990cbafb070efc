import { MockActivityEnvironment } from '@temporalio/testing';
import { createMidjourneyActivities } from '../../activities/midjourney';
import { createSunoActivities } from '../../activities/suno';
import { ChannelType } from '../../db/entities';
import { createServices, type Services } from '../../services';
import { createMidjourneyClient } from '../../services/upstream/midjourney-client';
import { createSunoClient } from '../../services/upstream/suno-client';
import type { TaskWorkflows } from '../../temporal/task-workflows';
import { startMidjourneySimulator, type MidjourneySimulator } from '../simulators/midjourney';
import { startSunoSimulator, type SunoSimulator } from '../simulators/suno';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';
import { seedUser } from '../support/fixtures';

/** What mysql2 throws while MariaDB restarts under a pooled connection. */
const connectionLost = () => Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });

/** Services whose task writes fail `times` times, as they do while the database restarts. */
function withFailingWrites(services: Services, times: number): Services & { failed: () => number } {
  let failed = 0;
  const flaky = <T extends { apply: (...args: any[]) => Promise<boolean> }>(repo: T): T =>
    Object.assign(Object.create(repo) as T, {
      apply: (...args: unknown[]) => (failed < times ? (failed++, Promise.reject(connectionLost())) : repo.apply(...args)),
    });
  return { ...services, tasks: flaky(services.tasks), midjourney: flaky(services.midjourney), failed: () => failed };
}

/**
 * The drill once saw one Midjourney job reach the upstream twice: the upstream accepted it,
 * the write of its id failed while MariaDB restarted, and the retried attempt, finding no id
 * on the row, submitted it again. The write is now retried inside the attempt.
 */
describe.each(DB_KINDS)('a job the upstream accepted while the database was down (%s)', (kind) => {
  let db: TestDatabase;
  let services: Services;
  let suno: SunoSimulator;
  let mj: MidjourneySimulator;
  const workflows = {} as TaskWorkflows;
  const run = <T>(fn: () => Promise<T>): Promise<T> => new MockActivityEnvironment().run(fn) as Promise<T>;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    services = createServices(db.orm);
    suno = await startSunoSimulator({ stepMs: 10, defaultOutcome: 'stall' });
    mj = await startMidjourneySimulator({ stepMs: 10, defaultOutcome: 'stall' });
  });
  afterAll(async () => {
    await Promise.all([suno?.stop(), mj?.stop()]);
    await db?.destroy();
  });

  test('Suno: is recorded once the database answers, and submitted to the upstream once', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const channel = await services.channels.create({ type: ChannelType.suno, name: 'sim', key: suno.secret, baseUrl: suno.url });
    const { task } = await services.tasks.create({
      platform: 'suno',
      action: 'MUSIC',
      userId: user.id,
      tokenId: null,
      quota: 1,
      properties: { input: { prompt: 'p' } },
    });
    const flaky = withFailingWrites(services, 3);
    const activities = createSunoActivities({ services: flaky, workflows, suno: createSunoClient(10_000) });
    suno.resetStats();

    const submitted = await run(() => activities.submitSunoTask({ taskId: task.taskId, seq: 1 }));

    expect(flaky.failed()).toBe(3);
    expect(suno.stats().requests.submit).toBe(1);
    expect(submitted).toEqual({ channelId: channel.id, upstreamTaskId: expect.any(String) });
    expect(await services.tasks.byTaskId(task.taskId)).toMatchObject({ upstreamTaskId: submitted.upstreamTaskId, status: 'SUBMITTED' });
    // A retried attempt finds the id and does not go upstream again.
    await run(() => activities.submitSunoTask({ taskId: task.taskId, seq: 1 }));
    expect(suno.stats().requests.submit).toBe(1);
  });

  test('Midjourney: is recorded once the database answers, and submitted to the upstream once', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    await services.channels.create({ type: ChannelType.midjourney, name: 'mj-sim', key: mj.secret, baseUrl: mj.url });
    const { task } = await services.midjourney.create({
      userId: user.id,
      tokenId: null,
      action: 'IMAGINE',
      parentMjId: null,
      channelId: 0,
      prompt: 'once',
      request: { route: 'imagine', body: { prompt: 'once' } },
      quota: 1,
    });
    const flaky = withFailingWrites(services, 3);
    const activities = createMidjourneyActivities({ services: flaky, workflows, midjourney: createMidjourneyClient(10_000) });
    const before = mj.stats().submit;

    const submitted = await run(() => activities.submitMjTask({ mjId: task.mjId, seq: 1 }));

    expect(flaky.failed()).toBe(3);
    expect(mj.stats().submit - before).toBe(1);
    expect(submitted).toMatchObject({ status: 'SUBMITTED', upstreamTaskId: expect.any(String) });
    expect(await services.midjourney.byMjId(task.mjId)).toMatchObject({ upstreamTaskId: submitted.upstreamTaskId, status: 'SUBMITTED' });
    await run(() => activities.submitMjTask({ mjId: task.mjId, seq: 1 }));
    expect(mj.stats().submit - before).toBe(1);
  });
});
