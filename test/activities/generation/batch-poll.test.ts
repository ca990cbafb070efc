import { MockActivityEnvironment } from '@temporalio/testing';
import { createMjPoller, type MidjourneyActivityDeps } from '../../../activities/midjourney';
import { createSunoPoller, type SunoActivityDeps } from '../../../activities/suno';
import { ChannelType, MjTask, Task } from '../../../db/entities';
import type { Em } from '../../../db/orm';
import { createServices, type Services } from '../../../services';
import { createMidjourneyClient } from '../../../services/upstream/midjourney-client';
import { createSunoClient } from '../../../services/upstream/suno-client';
import type { TaskWorkflows } from '../../../temporal/task-workflows';
import type { PollSummary } from '../../../workflows/generation/definitions';
import { startMidjourneySimulator, type MidjourneySimulator } from '../../simulators/midjourney';
import { startSunoSimulator, type SunoSimulator } from '../../simulators/suno';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../../support/databases';
import { seedUser } from '../../support/fixtures';

const BATCH = 7;
const IN_FLIGHT = 45; // ⌈45 / 7⌉ = 7 requests per round

/**
 * One poll round covers every in-flight task of a channel, however many batches that takes:
 * ⌈in flight / batch size⌉ requests, every task stamped as polled (so no task falls back to
 * polling by itself), and each piece of news signalled once even while the rows lag behind.
 */
describe.each(DB_KINDS)('batched poller past one batch per channel (%s)', (kind) => {
  let db: TestDatabase;
  let services: Services;
  let suno: SunoSimulator;
  let mj: MidjourneySimulator;
  const signalled: string[] = [];
  const workflows = {
    suno: { signal: async (taskId: string) => (signalled.push(taskId), true), start: async () => undefined },
    midjourney: { signal: async (mjId: string) => (signalled.push(mjId), true), exists: async () => true },
  } as unknown as TaskWorkflows;

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
  beforeEach(() => (signalled.length = 0));

  const round = (poll: () => Promise<PollSummary>) => new MockActivityEnvironment().run(poll);

  test('Suno: every task of the channel in ⌈n / batch⌉ fetches, all stamped, news signalled once', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const channel = await services.channels.create({ type: ChannelType.suno, name: 'sim', key: suno.secret, baseUrl: suno.url });
    const client = createSunoClient(10_000);
    for (let i = 0; i < IN_FLIGHT; i++) {
      const { task } = await services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: user.id, tokenId: null, quota: 1, properties: {} });
      const upstreamTaskId = await client.submit(channel, 'music', { prompt: `p${i}` });
      await services.tasks.apply(task.taskId, 1, { channelId: channel.id, upstreamTaskId, status: 'SUBMITTED' });
    }
    const poll = createSunoPoller({ services, workflows, suno: client, batchSize: BATCH } satisfies SunoActivityDeps);
    await new Promise((r) => setTimeout(r, 100)); // the simulator moves them on to IN_PROGRESS
    suno.resetStats();

    const first = await round(poll);
    expect(first).toMatchObject({ requests: Math.ceil(IN_FLIGHT / BATCH), tasks: IN_FLIGHT, signalled: IN_FLIGHT });
    expect(suno.stats().fetchBatches.map((b) => b.length)).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(await (db.orm.em.fork() as Em).count(Task, { channelId: channel.id, polledAt: { $gt: 0 } })).toBe(IN_FLIGHT);

    // The workflows have not written IN_PROGRESS yet: the next round has the same news and sends none of it again.
    const second = await round(poll);
    expect(second).toMatchObject({ requests: 7, tasks: IN_FLIGHT, signalled: 0 });
    expect(new Set(signalled).size).toBe(IN_FLIGHT);
    expect(suno.stats().requests.fetch_one).toBe(0);
  });

  test('Midjourney: the same, over list-by-condition', async () => {
    const user = await seedUser(db.orm, 1_000_000);
    const channel = await services.channels.create({ type: ChannelType.midjourney, name: 'sim', key: mj.secret, baseUrl: mj.url });
    const client = createMidjourneyClient(10_000);
    for (let i = 0; i < IN_FLIGHT; i++) {
      const { task } = await services.midjourney.create({
        userId: user.id,
        tokenId: null,
        action: 'IMAGINE',
        parentMjId: null,
        channelId: 0,
        prompt: `p${i}`,
        request: { route: 'imagine', body: { prompt: `p${i}` } },
        quota: 1,
      });
      const reply = await client.submit(channel, 'imagine', { prompt: `p${i}` });
      await services.midjourney.apply(task.mjId, 1, { channelId: channel.id, upstreamTaskId: reply.result!, status: 'SUBMITTED', code: 1 });
    }
    const poll = createMjPoller({ services, workflows, midjourney: client, batchSize: BATCH, autoDisableChannel: true } satisfies MidjourneyActivityDeps);
    await new Promise((r) => setTimeout(r, 100));
    mj.resetStats();

    expect(await round(poll)).toMatchObject({ requests: 7, tasks: IN_FLIGHT, signalled: IN_FLIGHT });
    expect(mj.stats().idsPerListCall).toEqual([7, 7, 7, 7, 7, 7, 3]);
    expect(await (db.orm.em.fork() as Em).count(MjTask, { channelId: channel.id, polledAt: { $gt: 0 } })).toBe(IN_FLIGHT);
    expect(await round(poll)).toMatchObject({ requests: 7, signalled: 0 });
    expect(mj.stats().fetch_one).toBe(0);
  });
});
