import { DB_KINDS } from '../support/databases';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

/** new-api's TaskDto, in its field order (`result_url` left out when empty; `username` on admin rows only). */
const TASK_FIELDS = [
  'id',
  'created_at',
  'updated_at',
  'task_id',
  'platform',
  'user_id',
  'group',
  'channel_id',
  'quota',
  'action',
  'status',
  'fail_reason',
  'submit_time',
  'start_time',
  'finish_time',
  'progress',
  'properties',
  'data',
];
const ADMIN_FIELDS = [...TASK_FIELDS.slice(0, -1), 'username', 'data'];

describe.each(DB_KINDS)('Suno task JSON as new-api renders it (%s)', (kind) => {
  let h: SunoHarness;
  let channel: number;
  let done: Record<string, any>;
  beforeAll(async () => {
    // 10,000 task ids are ~400 kB of JSON: the body limit, not a count, is what bounds them.
    h = await startSunoHarness(kind, { BODY_LIMIT: '1mb' });
    channel = await h.addChannel();
    const id = (await h.submit('music', { prompt: 'a song about shapes', mv: 'chirp-v3-5' })).body.data as string;
    await h.waitFor(id, ['SUCCESS']);
    done = (await h.http().get(`/suno/fetch/${id}`).set('Authorization', `Bearer ${h.user.key}`)).body.data;
  });
  afterAll(() => h?.close());

  const fetchMany = (body: object, key = h.user.key) => h.http().post('/suno/fetch').set('Authorization', `Bearer ${key}`).send(body);

  test('GET /suno/fetch/:id: every field, in order, with new-api values', async () => {
    expect(Object.keys(done)).toEqual(TASK_FIELDS);
    expect(done).toEqual({
      id: expect.any(Number),
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      task_id: expect.stringMatching(/^task_[A-Za-z0-9]{32}$/),
      platform: 'suno',
      user_id: h.user.id,
      group: 'default',
      channel_id: channel,
      quota: 50_000,
      action: 'MUSIC',
      status: 'SUCCESS',
      fail_reason: '',
      submit_time: expect.any(Number),
      start_time: expect.any(Number),
      finish_time: expect.any(Number),
      progress: '100%',
      properties: { input: 'a song about shapes', upstream_model_name: 'suno_music', origin_model_name: 'suno_music' },
      data: expect.any(Array),
    });
    // Seconds, as new-api's tasks table keeps them.
    expect(done.submit_time).toBeLessThan(1e11);
  });

  test('POST /suno/fetch: the same objects; the user list says channel_id 0 and the admin list adds username', async () => {
    const many = await fetchMany({ ids: [done.task_id], action: 'LYRICS' });
    expect(many.body).toEqual({ code: 'success', message: '', data: [done] });
    const mine = (await h.http().get('/api/task/self').set('Authorization', `Bearer ${h.user.accessToken}`)).body.data.items[0];
    expect(Object.keys(mine)).toEqual(TASK_FIELDS);
    expect(mine).toEqual({ ...done, channel_id: 0 });
    const all = (await h.root(h.http().get('/api/task/'))).body.data.items.find((t: { task_id: string }) => t.task_id === done.task_id);
    expect(Object.keys(all)).toEqual(ADMIN_FIELDS);
    expect(all).toEqual({ ...done, username: expect.stringMatching(/^u_/) });
  });

  test('a task before its first upstream report has data null', async () => {
    h.sim.setDown(true);
    try {
      const id = (await h.submit('lyrics', { prompt: 'pending words' })).body.data as string;
      const pending = (await fetchMany({ ids: [id] })).body.data[0];
      expect(pending).toMatchObject({ action: 'LYRICS', data: null, properties: { input: 'pending words', origin_model_name: 'suno_lyrics' } });
    } finally {
      h.sim.setDown(false);
    }
  });

  test("10,000 ids are answered (chunked), with only the caller's own tasks; none at all is []", async () => {
    const stranger = await h.newUser(1_000_000);
    const theirs = (await h.submit('music', { prompt: 'not yours' }, {}, stranger.key)).body.data as string;
    const ids = Array.from({ length: 9_998 }, (_, i) => `task_${String(i).padStart(32, '0')}`);
    const res = await fetchMany({ ids: [...ids.slice(0, 5_000), done.task_id, theirs, ...ids.slice(5_000)] });
    expect(res.status).toBe(200);
    expect(res.body.data.map((t: { task_id: string }) => t.task_id)).toEqual([done.task_id]);
    expect((await fetchMany({ ids: [] })).body).toEqual({ code: 'success', message: '', data: [] });
    expect((await fetchMany({})).body.data).toEqual([]);
    // Theirs is there for its owner.
    expect((await fetchMany({ ids: [theirs] }, stranger.key)).body.data).toHaveLength(1);
  });

  test('ids that are not a list of ids are a 400 in the Suno envelope', async () => {
    const res = await fetchMany({ ids: 'task_x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: expect.any(String), data: null });
  });
});
