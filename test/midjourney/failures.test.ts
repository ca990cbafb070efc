import { ChannelStatus } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

const IMAGINE_PRICE = 50_000;

describe.each(DB_KINDS)('Midjourney refusals and failures give the price back exactly once (%s)', (kind) => {
  let h: MjHarness;
  let main: number;
  beforeAll(async () => {
    h = await startMjHarness(kind);
    main = await h.addChannel({ name: 'main' });
  });
  afterAll(() => h?.close());
  afterEach(() => h.sim.clearFaults());

  test('a banned prompt (upstream code 24) is answered with code 24 and costs nothing', async () => {
    const before = await h.quota();
    const res = await h.submit('imagine', { prompt: 'a banned-word poster' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 24, result: null, properties: { bannedWord: 'banned-word' } });
    expect(await h.quota()).toBe(before);
    // The task is kept, as new-api keeps it, failed with the upstream's reason and zero quota.
    const listed = await h.http().get('/api/mj/self').set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(listed.body.data.items[0]).toMatchObject({ status: 'FAILURE', quota: 0, fail_reason: expect.stringMatching(/.+/) });
    const mjId = listed.body.data.items[0].mj_id;
    // The price was held while the upstream decided and released at once: the pair nets to zero.
    expect(await h.ledger(mjId)).toEqual([
      ['charge', -IMAGINE_PRICE],
      ['refund', IMAGINE_PRICE],
    ]);
    expect(await h.t.deps.services.ledger.audit()).toEqual([]);
  });

  test('an upstream FAILURE becomes FAILURE with its reason and is refunded once', async () => {
    const before = await h.quota();
    const mjId = (await h.submit('imagine', { prompt: 'doomed [sim:fail]' })).body.result!;
    const done = await h.waitFor(mjId, ['FAILURE', 'SUCCESS']);
    expect(done).toMatchObject({ status: 'FAILURE', progress: '100%', failReason: expect.stringMatching(/.+/) });
    expect(await h.ledger(mjId)).toEqual([
      ['charge', -IMAGINE_PRICE],
      ['refund', IMAGINE_PRICE],
    ]);
    expect(await h.quota()).toBe(before);
    // The workflow has finished: a late, duplicate poll cannot refund again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await h.ledger(mjId)).toHaveLength(2);
  });

  /** Runs `body` with a lower-priority channel beside main, removed afterwards. */
  const withBackupChannel = async (body: (backup: number) => Promise<void>) => {
    const backup = await h.addChannel({ name: 'backup', priority: -1 });
    try {
      await body(backup);
    } finally {
      await h.root(h.http().delete(`/api/channel/${backup}`));
    }
  };
  const channelOf = async (mjId: string) => (await h.t.deps.services.midjourney.byMjId(mjId))!.channelId;

  test('a full queue (23) or a 5xx on one channel moves the job to the next channel', () =>
    withBackupChannel(async (backup) => {
      h.sim.queueSubmitCode(23, 1, 'queue is full');
      const a = await h.submit('imagine', { prompt: 'busy first channel' });
      expect(a.body.code).toBe(1);
      h.sim.queueFault('submit', { status: 502 });
      const b = await h.submit('imagine', { prompt: 'broken first channel' });
      expect(b.body.code).toBe(1);
      for (const id of [a.body.result!, b.body.result!]) {
        await h.waitFor(id, ['SUCCESS']);
        expect(await channelOf(id)).toBe(backup);
      }
    }));

  test('a proxy without a usable account (code 3) is auto-disabled and the job moves to the next channel', () =>
    withBackupChannel(async (backup) => {
      try {
        h.sim.queueSubmitCode(3, 1, 'no available account instance');
        const res = await h.submit('imagine', { prompt: 'first proxy has no account' });
        expect(res.body.code).toBe(1);
        await h.waitFor(res.body.result!, ['SUCCESS']);
        expect(await channelOf(res.body.result!)).toBe(backup);
        expect((await h.t.deps.services.channels.get(main)).status).toBe(ChannelStatus.autoDisabled);
        // Until an admin enables it again, new jobs skip it.
        const next = await h.submit('imagine', { prompt: 'while main is disabled' });
        expect(await channelOf(next.body.result!)).toBe(backup);
        // Nothing of this test may still be in flight when the next one reads the balance.
        await h.waitFor(next.body.result!, ['SUCCESS']);
      } finally {
        await h.t.deps.services.channels.update(main, { status: ChannelStatus.enabled });
      }
    }));

  test('a full queue on every channel answers 23 and costs nothing', async () => {
    const before = await h.quota();
    h.sim.queueSubmitCode(23, 1, 'queue is full');
    const res = await h.submit('imagine', { prompt: 'nobody has room' });
    expect(res.body).toMatchObject({ code: 23, result: null });
    expect(await h.quota()).toBe(before);
  });

  test('a job the upstream forgets is failed and refunded when the give-up time passes', async () => {
    const before = await h.quota();
    const mjId = (await h.submit('imagine', { prompt: 'vanishing [sim:drop]' })).body.result!;
    const done = await h.waitFor(mjId, ['FAILURE', 'SUCCESS'], { timeoutMs: 40_000 });
    expect(done.failReason).toMatch(/timed out after 0.2 minutes/);
    expect(await h.quota()).toBe(before);
    expect(h.sim.stats().fetch_one).toBeGreaterThan(0);
  }, 60_000);

  test('a child action whose parent channel was disabled meanwhile fails and is refunded', async () => {
    const parent = (await h.submit('imagine', { prompt: 'parent' })).body.result!;
    await h.waitFor(parent, ['SUCCESS']);
    const channelId = (await h.t.deps.services.midjourney.byMjId(parent))!.channelId;
    await h.root(h.http().put('/api/channel/')).send({ id: channelId, status: 2 });
    try {
      const before = await h.quota();
      const res = await h.submit('change', { taskId: parent, action: 'UPSCALE', index: 1 });
      expect(res.body).toMatchObject({ code: 9, result: null, description: expect.stringMatching(/channel .* disabled/) });
      expect(await h.quota()).toBe(before);
    } finally {
      await h.root(h.http().put('/api/channel/')).send({ id: channelId, status: 1 });
    }
  });
});
