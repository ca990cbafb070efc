import { Task } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

describe.each(DB_KINDS)('the Suno relay (%s)', (kind) => {
  let h: SunoHarness;
  beforeAll(async () => {
    h = await startSunoHarness(kind);
    await h.addChannel();
  });
  afterAll(() => h?.close());

  const taskCount = () => h.t.db.orm.em.fork().count(Task, {});

  test('two concurrent submits with one Idempotency-Key make one task and one charge', async () => {
    const before = await h.quota();
    const headers = { 'Idempotency-Key': `key-${kind}-1` };
    const [a, b] = await Promise.all([h.submit('music', { prompt: 'once' }, headers), h.submit('music', { prompt: 'once' }, headers)]);

    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.data).toBe(b.body.data);
    expect(await h.quota()).toBe(before - 50_000);
    expect(await h.ledger(a.body.data)).toEqual([['charge', -50_000]]);
    const replay = await h.submit('music', { prompt: 'once' }, headers);
    expect(replay.body.data).toBe(a.body.data);
    expect(replay.headers['x-taskhub-task-replayed']).toBe('true');
    await h.waitFor(a.body.data, ['SUCCESS']);
  });

  test('eight concurrent submits against a balance for three: three accepted, five refused, nothing overdrawn', async () => {
    const user = await h.newUser(3 * 50_000);
    const before = await taskCount();
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => h.submit('music', { prompt: `race ${i}` }, {}, user.key)));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    expect(replies.filter((r) => r.status === 403)).toHaveLength(5);
    expect(await h.quota(user.id)).toBe(0);
    expect(await taskCount()).toBe(before + 3);
    expect(await h.t.deps.services.ledger.audit()).toEqual([]);
  });

  test("a user cannot see or fetch another user's task", async () => {
    const other = await h.newUser(100_000);
    const mine = (await h.submit('music', { prompt: 'private' })).body.data;

    const one = await h.http().get(`/suno/fetch/${mine}`).set('Authorization', `Bearer ${other.key}`);
    expect(one.status).toBe(404);
    expect(one.body).toMatchObject({ code: 'not_found', data: null });
    const many = await h
      .http()
      .post('/suno/fetch')
      .set('Authorization', `Bearer ${other.key}`)
      .send({ ids: [mine] });
    expect(many.body).toEqual({ code: 'success', message: '', data: [] });
    const listed = await h.http().get('/api/task/self').query({ task_id: mine }).set('Authorization', `Bearer ${other.accessToken}`);
    expect(listed.body.data).toMatchObject({ items: [], total: 0 });
  });

  test('not enough quota is a clear error: no task, no charge, nothing sent upstream', async () => {
    const poor = await h.newUser(10_000);
    const tasksBefore = await taskCount();

    const res = await h.submit('music', { prompt: 'too expensive' }, {}, poor.key);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'insufficient_quota', message: 'user quota is not enough', data: null });
    expect(await h.quota(poor.id)).toBe(10_000);
    expect(await taskCount()).toBe(tasksBefore);
    // By prompt: the task of the test before may still be on its way upstream.
    expect(h.sim.tasks().filter((t) => JSON.stringify(t).includes('too expensive'))).toEqual([]);
  });

  test.each([
    ['an unknown action', 'video', { prompt: 'x' }, 400, /action: unknown action/],
    ['lyrics without a prompt', 'lyrics', { title: 'x' }, 400, /prompt: lyrics need a prompt/],
    ['music with nothing to make', 'music', { tags: 'pop' }, 400, /prompt/],
    ['a wrong type', 'music', { prompt: 'x', make_instrumental: 'yes' }, 400, /make_instrumental/],
  ])('%s is refused in the relay envelope and charges nothing', async (_, action, body, status, message) => {
    const before = await h.quota();
    const tasksBefore = await taskCount();
    const res = await h.submit(action, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code: 'validation', message: expect.stringMatching(message), data: null });
    expect(await h.quota()).toBe(before);
    expect(await taskCount()).toBe(tasksBefore);
  });

  test('an unknown, disabled or missing key is a 401 and nothing is created', async () => {
    const tasksBefore = await taskCount();
    const unknown = await h.submit('music', { prompt: 'x' }, {}, 'sk-not-a-real-key');
    const missing = await h.http().post('/suno/submit/music').send({ prompt: 'x' });
    const token = await h.http().post('/api/token/').set('Authorization', `Bearer ${h.user.accessToken}`).send({ name: 'off' });
    await h.http().put('/api/token/').set('Authorization', `Bearer ${h.user.accessToken}`).send({ id: token.body.data.id, status: 2 });
    const disabled = await h.submit('music', { prompt: 'x' }, {}, token.body.data.key);

    expect([unknown.status, missing.status, disabled.status]).toEqual([401, 401, 401]);
    expect(disabled.body.message).toMatch(/disabled/);
    expect(await taskCount()).toBe(tasksBefore);
  });

  test('an exhausted key refuses the charge even when the user has quota', async () => {
    const capped = await h.http().post('/api/token/').set('Authorization', `Bearer ${h.user.accessToken}`).send({ name: 'capped', remain_quota: 1_000 });
    const res = await h.submit('music', { prompt: 'x' }, {}, capped.body.data.key);
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('token quota is not enough');
  });
});
