import { startMidjourneySimulator, type MidjourneySimulator } from '../simulators/midjourney';
import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

/** new-api's MidjourneyDto, in its field order: /mj/task/:id/fetch, list-by-condition and notifyHook. */
const TASK_FIELDS = [
  'id',
  'action',
  'customId',
  'botType',
  'prompt',
  'promptEn',
  'description',
  'state',
  'submitTime',
  'startTime',
  'finishTime',
  'imageUrl',
  'videoUrl',
  'videoUrls',
  'status',
  'progress',
  'failReason',
  'buttons',
  'maskBase64',
  'properties',
];
/** new-api's `midjourneys` row, as /api/mj/self and /api/mj/ return it. */
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

const button = { customId: expect.any(String), emoji: expect.any(String), label: expect.any(String), type: 2, style: 2 };

describe.each(DB_KINDS)('Midjourney task JSON as new-api renders it, plus-fork upstream (%s)', (kind) => {
  let h: MjHarness;
  let channel: number;
  beforeAll(async () => {
    h = await startMjHarness(kind, {}, { previews: true });
    channel = await h.addChannel();
  });
  afterAll(() => h?.close());

  const fetchTask = (id: string) => h.http().get(`/mj/task/${id}/fetch`).set('mj-api-secret', h.user.key);
  const listByCondition = (ids: unknown[]) => h.http().post('/mj/task/list-by-condition').set('mj-api-secret', h.user.key).send({ ids });
  const myLog = async (mjId: string) =>
    (await h.http().get('/api/mj/self').query({ mj_id: mjId }).set('Authorization', `Bearer ${h.user.accessToken}`)).body.data.items[0];
  const adminLog = async (mjId: string) => (await h.root(h.http().get('/api/mj/').query({ mj_id: mjId }))).body.data.items[0];

  test('a finished imagine: fetch, list-by-condition and the drawing logs, field by field', async () => {
    const mjId = (await h.submit('imagine', { prompt: 'a golden fox' })).body.result!;
    await h.waitFor(mjId, ['SUCCESS']);
    const task = (await fetchTask(mjId)).body;
    expect(Object.keys(task)).toEqual(TASK_FIELDS);
    expect(task).toEqual({
      id: mjId,
      action: 'IMAGINE',
      customId: '',
      botType: '',
      prompt: 'a golden fox',
      promptEn: 'a golden fox',
      description: '/imagine a golden fox',
      state: '',
      submitTime: expect.any(Number),
      startTime: expect.any(Number),
      finishTime: expect.any(Number),
      imageUrl: `http://relay.test/mj/image/${mjId}`,
      videoUrl: '',
      videoUrls: null,
      status: 'SUCCESS',
      progress: '100%',
      failReason: '',
      buttons: Array.from({ length: 9 }, () => button),
      maskBase64: '',
      // The upstream sent finalZhPrompt: null; new-api always says "".
      properties: { finalPrompt: 'a golden fox', finalZhPrompt: '' },
    });
    expect(task.buttons[0]).toMatchObject({ label: 'U1', customId: expect.stringMatching(/^MJ::JOB::upsample::1::/) });

    const listed = await listByCondition([mjId, 'no-such-task', mjId]);
    expect(listed.body).toEqual([task]);

    const row = await myLog(mjId);
    expect(Object.keys(row)).toEqual(ROW_FIELDS);
    expect(row).toEqual({
      id: expect.any(Number),
      code: 1,
      user_id: h.user.id,
      action: 'IMAGINE',
      mj_id: mjId,
      prompt: 'a golden fox',
      prompt_en: 'a golden fox',
      description: '/imagine a golden fox',
      state: '',
      submit_time: task.submitTime,
      start_time: task.startTime,
      finish_time: task.finishTime,
      image_url: `http://relay.test/mj/image/${mjId}`,
      video_url: '',
      video_urls: '',
      status: 'SUCCESS',
      progress: '100%',
      fail_reason: '',
      channel_id: 0,
      quota: 50_000,
      buttons: JSON.stringify(task.buttons),
      properties: '{"finalPrompt":"a golden fox","finalZhPrompt":""}',
    });
    expect(await adminLog(mjId)).toEqual({ ...row, channel_id: channel });
  });

  test('before the first upstream report: buttons, videoUrls and properties are null, imageUrl is ""', async () => {
    // Every poll fails until the faults are cleared, so the row is still what the submit wrote.
    h.sim.queueFault('list', { status: 503 }, 1_000);
    h.sim.queueFault('fetch', { status: 503 }, 1_000);
    try {
      const mjId = (await h.submit('imagine', { prompt: 'not yet' })).body.result!;
      const task = (await fetchTask(mjId)).body;
      expect(task).toMatchObject({ status: 'SUBMITTED', imageUrl: '', buttons: null, videoUrls: null, properties: null, progress: '0%' });
      expect(await myLog(mjId)).toMatchObject({ image_url: '', buttons: '', properties: '', video_urls: '' });
    } finally {
      h.sim.clearFaults();
    }
  });

  test("while rendering: the preview is forwarded with ?rand=<nanoseconds>; the upstream's [] of buttons stays []", async () => {
    h.sim.queueOutcome('stall');
    const mjId = (await h.submit('imagine', { prompt: 'still rendering' })).body.result!;
    let task: Record<string, any> = {};
    for (let i = 0; i < 100 && !task.imageUrl; i++) {
      task = (await fetchTask(mjId)).body;
      if (!task.imageUrl) await new Promise((r) => setTimeout(r, 150));
    }
    expect(task).toMatchObject({ status: 'IN_PROGRESS', buttons: [], videoUrls: null });
    expect(task.imageUrl).toMatch(new RegExp(`^http://relay\\.test/mj/image/${mjId}\\?rand=\\d{19}$`));
    expect((await fetchTask(mjId)).body.imageUrl).not.toBe(task.imageUrl);
    expect((await myLog(mjId)).image_url).toBe(`http://relay.test/mj/image/${mjId}`);
  });

  test('a video: videoUrl and videoUrls as the upstream sent them, video_urls as JSON text in the log', async () => {
    const parent = (await h.submit('imagine', { prompt: 'a waterfall' })).body.result!;
    await h.waitFor(parent, ['SUCCESS']);
    const mjId = (await h.submit('video', { taskId: parent, index: 1, motion: 'low' })).body.result!;
    const done = await h.waitFor(mjId, ['SUCCESS']);
    expect(Object.keys(done)).toEqual(TASK_FIELDS);
    expect(done).toMatchObject({ action: 'VIDEO', prompt: 'a waterfall', buttons: [], videoUrl: expect.stringMatching(/\.mp4$/) });
    expect(done.videoUrls).toEqual(Array.from({ length: 4 }, () => ({ url: expect.stringMatching(/\.mp4$/) })));
    expect((await myLog(mjId)).video_urls).toBe(JSON.stringify(done.videoUrls));
  });

  test("ids: 10,000 are answered; another user's are absent; none is []", async () => {
    const mjId = (await h.submit('imagine', { prompt: 'one of many' })).body.result!;
    const stranger = await h.newUser(1_000_000);
    const theirs = (await h.submit('imagine', { prompt: 'theirs' }, { key: stranger.key })).body.result!;
    const ids = Array.from({ length: 9_998 }, (_, i) => `17000000000000${String(i).padStart(5, '0')}`);
    const res = await listByCondition([...ids.slice(0, 4_000), theirs, mjId, ...ids.slice(4_000)]);
    expect(res.status).toBe(200);
    expect(res.body.map((t: { id: string }) => t.id)).toEqual([mjId]);
    expect((await listByCondition([])).body).toEqual([]);
    expect((await fetchTask(theirs)).status).toBe(404);
  });
});

describe.each(DB_KINDS)('Midjourney task JSON from an open-source midjourney-proxy upstream (%s)', (kind) => {
  let h: MjHarness;
  let open: MidjourneySimulator;
  beforeAll(async () => {
    h = await startMjHarness(kind);
    open = await startMidjourneySimulator({ stepMs: 150, flavour: 'open' });
    await h.addChannel({ base_url: open.url, key: open.secret });
  });
  afterAll(async () => {
    await h?.close();
    await open?.stop();
  });

  test('an upstream that sends no buttons, state or video fields: null (never []), and "" in the log', async () => {
    const mjId = (await h.submit('imagine', { prompt: 'plain proxy' })).body.result!;
    const done = await h.waitFor(mjId, ['SUCCESS']);
    expect(Object.keys(done)).toEqual(TASK_FIELDS);
    expect(done).toMatchObject({
      status: 'SUCCESS',
      buttons: null,
      videoUrls: null,
      state: '',
      videoUrl: '',
      properties: { finalPrompt: 'plain proxy', finalZhPrompt: '' },
    });
    const row = (await h.http().get('/api/mj/self').query({ mj_id: mjId }).set('Authorization', `Bearer ${h.user.accessToken}`)).body.data.items[0];
    expect(row).toMatchObject({ buttons: '', video_urls: '', state: '' });
  });
});
