import { MjTask } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
/** new-api's default prices (USD × 500,000 quota per USD). */
const PRICE = { edits: 50_000, video: 400_000, swap: 25_000, upload: 25_000, imagine: 50_000 };

describe.each(DB_KINDS)("the rest of new-api's Midjourney relay (%s)", (kind) => {
  let h: MjHarness;
  let parent: string;
  beforeAll(async () => {
    h = await startMjHarness(kind);
    await h.addChannel();
    parent = (await h.submit('imagine', { prompt: 'a lighthouse' })).body.result!;
    await h.waitFor(parent, ['SUCCESS']);
  });
  afterAll(() => h?.close());

  const rows = () => h.t.db.orm.em.fork().count(MjTask, {});
  const post = (path: string, body: object, key = h.user.key) => h.http().post(path).set('mj-api-secret', key).send(body);

  test('edits: priced as mj_edits, followed to SUCCESS, charged once', async () => {
    const before = await h.quota();
    const res = await h.submit('edits', { prompt: 'make it night', image: PNG });
    expect(res.body).toMatchObject({ code: 1, result: expect.stringMatching(/^\d{19}$/) });
    expect(await h.waitFor(res.body.result!, ['SUCCESS'])).toMatchObject({ action: 'EDITS', prompt: 'make it night' });
    expect(await h.quota()).toBe(before - PRICE.edits);
    expect(await h.ledger(res.body.result!)).toEqual([['charge', -PRICE.edits]]);
  });

  test('video: from a finished task of the caller, priced as mj_video; a failed one is refunded', async () => {
    const before = await h.quota();
    const ok = await h.submit('video', { taskId: parent, index: 2, motion: 'high' }, { mode: 'mj-relax' });
    expect(ok.body.code).toBe(1);
    expect(await h.waitFor(ok.body.result!, ['SUCCESS'])).toMatchObject({ action: 'VIDEO', videoUrls: expect.any(Array) });
    h.sim.queueOutcome('fail');
    const failed = await h.submit('video', { taskId: parent, index: 1 });
    expect(await h.waitFor(failed.body.result!, ['FAILURE'])).toMatchObject({ failReason: expect.any(String) });
    expect(await h.ledger(failed.body.result!)).toEqual([
      ['charge', -PRICE.video],
      ['refund', PRICE.video],
    ]);
    expect(await h.quota()).toBe(before - PRICE.video);
  });

  test('insight-face/swap (also under a mode prefix): priced as swap_face, recorded as InsightFace', async () => {
    const before = await h.quota();
    const res = await post('/mj-fast/mj/insight-face/swap', { sourceBase64: PNG, targetBase64: PNG });
    expect(res.body.code).toBe(1);
    expect(await h.waitFor(res.body.result, ['SUCCESS'])).toMatchObject({ action: 'SWAP_FACE', prompt: 'InsightFace' });
    expect(await h.quota()).toBe(before - PRICE.swap);
  });

  test('upload-discord-images: the answer is the URLs, priced as mj_upload, and the drawing log shows it done', async () => {
    const before = await h.quota();
    const res = await h.submit('upload-discord-images', { base64Array: [PNG, PNG] });
    expect(res.body).toMatchObject({ code: 1, result: [expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\//), expect.any(String)] });
    expect(await h.quota()).toBe(before - PRICE.upload);
    const log = (await h.http().get('/api/mj/self').set('Authorization', `Bearer ${h.user.accessToken}`)).body.data.items;
    expect(log.find((r: { action: string }) => r.action === 'UPLOAD')).toMatchObject({ status: 'SUCCESS', progress: '100%', quota: PRICE.upload });
  });

  test("image-seed: the owner's finished task, asked live of its upstream, not charged; others' tasks are not found", async () => {
    const before = await h.quota();
    const seed = await h.http().get(`/mj/task/${parent}/image-seed`).set('mj-api-secret', h.user.key);
    expect(seed.status).toBe(200);
    expect(seed.body).toEqual({ code: 1, description: expect.any(String), result: expect.stringMatching(/^\d+$/), properties: {} });
    expect(await h.quota()).toBe(before);
    const stranger = await h.newUser(1_000_000);
    const theirs = await h.http().get(`/mj/task/${parent}/image-seed`).set('mj-api-secret', stranger.key);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({ code: 3, result: null });
    h.sim.queueFault('seed', { status: 503 });
    const down = await h.http().get(`/mj/task/${parent}/image-seed`).set('mj-api-secret', h.user.key);
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ code: 9, result: null });
  });

  test('bad input on the new routes is code 4 before anything is held or created', async () => {
    const before = { rows: await rows(), quota: await h.quota() };
    const cases: [string, object][] = [
      ['/mj/submit/edits', { prompt: 'no image' }],
      ['/mj/submit/edits', { image: PNG }],
      ['/mj/submit/edits', { prompt: 'x', image: 'not base64!' }],
      ['/mj/submit/video', { motion: 'low' }],
      ['/mj/submit/video', { taskId: parent, motion: 'sideways' }],
      ['/mj/submit/video', { taskId: 'someone-elses' }],
      ['/mj/submit/upload-discord-images', { base64Array: [] }],
      ['/mj/insight-face/swap', { sourceBase64: PNG }],
    ];
    for (const [path, body] of cases) {
      const res = await post(path, body);
      expect({ path, body, status: res.status, code: res.body.code, result: res.body.result }).toEqual({ path, body, status: 400, code: 4, result: null });
    }
    expect({ rows: await rows(), quota: await h.quota() }).toEqual(before);
  });

  test('the OpenAPI document lists every new route, with and without a mode prefix', async () => {
    const doc = (await h.http().get('/openapi.json')).body;
    for (const path of ['/mj/insight-face/swap', '/mj/task/{id}/image-seed', '/{mode}/mj/insight-face/swap', '/{mode}/mj/task/{id}/image-seed']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const submit = JSON.stringify(doc.paths['/mj/submit/{action}'].post);
    for (const route of ['edits', 'video', 'upload-discord-images']) expect(submit).toContain(route);
  });
});
