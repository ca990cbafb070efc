import { DB_KINDS } from '../support/databases';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

const MUSIC_PRICE = 50_000; // 0.1 USD × 500,000 quota per USD, new-api's default

describe.each(DB_KINDS)('a Suno task that succeeds (%s)', (kind) => {
  let h: SunoHarness;
  beforeAll(async () => {
    h = await startSunoHarness(kind);
    await h.addChannel();
  });
  afterAll(() => h?.close());

  test('is charged once, submitted, followed to SUCCESS with the upstream clips, and listed as new-api lists it', async () => {
    const before = await h.quota();
    const res = await h.submit('music', { prompt: 'a song about durable workflows', mv: 'chirp-v3-5', title: 'Durable', tags: 'pop' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code: 'success', message: '', data: expect.stringMatching(/^task_[A-Za-z0-9]{32}$/) });
    const taskId: string = res.body.data;
    expect(await h.quota()).toBe(before - MUSIC_PRICE);

    const done = await h.waitFor(taskId, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({
      task_id: taskId,
      platform: 'suno',
      action: 'MUSIC',
      status: 'SUCCESS',
      progress: '100%',
      quota: MUSIC_PRICE,
      fail_reason: '',
    });
    for (const field of ['id', 'created_at', 'updated_at', 'user_id', 'submit_time', 'start_time', 'finish_time', 'properties', 'data'])
      expect(done).toHaveProperty(field);
    expect(done.finish_time as number).toBeGreaterThanOrEqual(done.submit_time as number);
    expect((done.data as { status: string }[]).map((c) => c.status)).toEqual(['complete', 'complete']);
    expect(await h.ledger(taskId)).toEqual([['charge', -MUSIC_PRICE]]);
    expect(await h.quota()).toBe(before - MUSIC_PRICE);
  });

  test('lyrics cost their own price and come back with text', async () => {
    const before = await h.quota();
    const res = await h.submit('lyrics', { prompt: 'rain on a tin roof' });
    const done = await h.waitFor(res.body.data, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({ action: 'LYRICS', status: 'SUCCESS', quota: 5_000 });
    expect((done.data as { text: string }).text).toEqual(expect.any(String));
    expect(await h.quota()).toBe(before - 5_000);
  });

  test('fetch routes answer from our database in the Suno relay envelope', async () => {
    const a = (await h.submit('music', { prompt: 'one' })).body.data;
    const b = (await h.submit('music', { prompt: 'two' })).body.data;
    await h.waitFor(b, ['SUCCESS']);

    const one = await h.http().get(`/suno/fetch/${a}`).set('Authorization', `Bearer ${h.user.key}`);
    expect(one.body).toMatchObject({ code: 'success', data: { task_id: a } });
    const many = await h
      .http()
      .post('/suno/fetch')
      .set('Authorization', `Bearer ${h.user.key}`)
      .send({ ids: [a, b, 'task_unknown'] });
    expect(many.body.data.map((t: { task_id: string }) => t.task_id).sort()).toEqual([a, b].sort());
  });

  test('in-flight tasks are polled in batches: one upstream request per channel per round, not one per task', async () => {
    h.sim.resetStats();
    const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => h.submit('music', { prompt: `batch ${i}` }).then((r) => r.body.data as string)));
    for (const id of ids) await h.waitFor(id, ['SUCCESS']);

    const stats = h.sim.stats();
    expect(stats.requests.fetch_one).toBe(0);
    expect(Math.max(...stats.fetchBatches.map((b) => b.length))).toBeGreaterThan(1);
    expect(stats.requests.fetch_batch).toBeLessThan(ids.length * 4);
  });

  test('the admin list adds channel_id and filters by it, by status and by action; the user total is exact', async () => {
    const admin = (q: object) => h.http().get('/api/task/').query(q).set('Authorization', `Bearer ${h.t.rootToken}`);
    const all = await admin({ page_size: 100 });
    expect(all.body.data.items[0]).toHaveProperty('channel_id');
    const lyrics = await admin({ action: 'LYRICS', status: 'SUCCESS' });
    expect(lyrics.body.data.items.every((t: { action: string }) => t.action === 'LYRICS')).toBe(true);
    const none = await admin({ channel_id: 999 });
    expect(none.body.data).toMatchObject({ items: [], total: 0 });

    const self = await h.http().get('/api/task/self').query({ page_size: 2 }).set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(self.body.data).toMatchObject({ total: all.body.data.total, page: 1, page_size: 2 });
    const window = await h.http().get('/api/task/self').query({ start_timestamp: 0, end_timestamp: 1 }).set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(window.body.data).toMatchObject({ items: [], total: 0 });
  });
});
