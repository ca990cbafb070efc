import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

/** new-api's `midjourneys` row, in its field order: the same for a user's log and the admin's. */
const ROW_FIELDS = [
  'id',
  'code',
  'user_id',
  'action',
  'mj_id',
  'prompt',
  'prompt_en',
  'description',
  'state',
  'submit_time',
  'start_time',
  'finish_time',
  'image_url',
  'video_url',
  'video_urls',
  'status',
  'progress',
  'fail_reason',
  'channel_id',
  'quota',
  'buttons',
  'properties',
];

describe.each(DB_KINDS)('Midjourney drawing log: /api/mj/self and /api/mj/ (%s)', (kind) => {
  let h: MjHarness;
  let channelA: number;
  let channelB: number;
  let ids: string[];
  let theirs: string;
  let stranger: { id: number; key: string; accessToken: string };
  beforeAll(async () => {
    h = await startMjHarness(kind);
    channelA = await h.addChannel({ name: 'a', priority: 10 });
    ids = [];
    for (const prompt of ['first', 'second', 'third']) ids.push((await h.submit('imagine', { prompt })).body.result!);
    channelB = await h.addChannel({ name: 'b', priority: 20 });
    stranger = await h.newUser(1_000_000);
    theirs = (await h.submit('imagine', { prompt: 'someone else' }, { key: stranger.key })).body.result!;
    for (const id of ids) await h.waitFor(id, ['SUCCESS']);
    await h.waitFor(theirs, ['SUCCESS'], { key: stranger.key });
  });
  afterAll(() => h?.close());

  const self = (query: Record<string, unknown> = {}, token = h.user.accessToken) =>
    h.http().get('/api/mj/self').query(query).set('Authorization', `Bearer ${token}`);
  const all = (query: Record<string, unknown> = {}) => h.root(h.http().get('/api/mj/').query(query));

  test("a user sees only their tasks, newest first, in new-api's row shape with channel_id 0", async () => {
    const res = await self();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: '', data: { total: 3, page: 1, page_size: 10 } });
    const items = res.body.data.items;
    expect(items.map((i: { mj_id: string }) => i.mj_id)).toEqual([...ids].reverse());
    for (const item of items) expect(Object.keys(item)).toEqual(ROW_FIELDS);
    expect(items[0]).toMatchObject({
      action: 'IMAGINE',
      prompt: 'third',
      status: 'SUCCESS',
      progress: '100%',
      quota: 50_000,
      fail_reason: '',
      image_url: `http://relay.test/mj/image/${ids[2]}`,
      user_id: h.user.id,
      channel_id: 0,
      code: 1,
    });
    // Milliseconds, as new-api's midjourneys table stores them.
    expect(items[0].submit_time).toBeGreaterThan(1e12);
    expect(items[0].finish_time).toBeGreaterThanOrEqual(items[0].start_time);
  });

  test('mj_id, time range (milliseconds or seconds) and paging filter the list', async () => {
    expect((await self({ mj_id: ids[1] })).body.data).toMatchObject({ total: 1, items: [{ mj_id: ids[1] }] });
    expect((await self({ mj_id: theirs })).body.data).toMatchObject({ total: 0, items: [] });
    const times = (await self()).body.data.items.map((i: { submit_time: number }) => i.submit_time).sort();
    const fromSecond = await self({ start_timestamp: times[1] });
    expect(fromSecond.body.data.total).toBe(2);
    const untilSecond = await self({ end_timestamp: times[1] });
    expect(untilSecond.body.data.items.map((i: { mj_id: string }) => i.mj_id)).toEqual([ids[1], ids[0]]);
    const inSeconds = await self({ start_timestamp: Math.floor(times[0] / 1000), end_timestamp: Math.ceil(times[2] / 1000) });
    expect(inSeconds.body.data.total).toBe(3);
    const page2 = await self({ p: 2, page_size: 2 });
    expect(page2.body.data).toMatchObject({ total: 3, page: 2, page_size: 2, items: [{ mj_id: ids[0] }] });
  });

  test('the admin list shows the channel and filters by user_id and channel_id', async () => {
    const everything = await all();
    expect(everything.body.data.total).toBe(4);
    expect(everything.body.data.items[0]).toMatchObject({ mj_id: theirs, user_id: stranger.id, channel_id: channelB });
    expect(Object.keys(everything.body.data.items[0])).toEqual(ROW_FIELDS);
    expect((await all({ user_id: stranger.id })).body.data).toMatchObject({ total: 1, items: [{ mj_id: theirs }] });
    expect((await all({ channel_id: channelA })).body.data.items.map((i: { mj_id: string }) => i.mj_id)).toEqual([...ids].reverse());
    expect((await all({ channel_id: channelB, mj_id: ids[0] })).body.data.total).toBe(0);
  });

  test('bad paging and filters get a 400 in the new-api envelope; the admin list needs an admin', async () => {
    for (const query of [{ page_size: 1000 }, { p: 0 }, { start_timestamp: 'yesterday' }, { end_timestamp: -5 }]) {
      const res = await self(query);
      expect({ query, status: res.status, success: res.body.success }).toEqual({ query, status: 400, success: false });
    }
    const denied = await h.http().get('/api/mj/').set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ success: false });
  });
});
