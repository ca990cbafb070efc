import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

const IMAGINE_PRICE = 50_000; // 0.1 USD × 500,000 quota per USD, new-api's default
const UPSCALE_PRICE = 25_000; // 0.05 USD

describe.each(DB_KINDS)('a Midjourney imagine that succeeds (%s)', (kind) => {
  let h: MjHarness;
  let otherChannel: number;
  beforeAll(async () => {
    h = await startMjHarness(kind);
    await h.addChannel({ name: 'first' });
    otherChannel = await h.addChannel({ name: 'second' });
  });
  afterAll(() => h?.close());

  test('answers code 1 with our id, is charged once, and is followed to SUCCESS with image, buttons and times', async () => {
    const before = await h.quota();
    const res = await h.submit('imagine', { prompt: 'a lighthouse at dawn --ar 3:2', notifyHook: '', base64Array: null, index: 0, taskId: '' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 1, result: expect.stringMatching(/^\d{19}$/) });
    const mjId = res.body.result!;
    expect(await h.quota()).toBe(before - IMAGINE_PRICE);

    const done = await h.waitFor(mjId, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({
      id: mjId,
      action: 'IMAGINE',
      status: 'SUCCESS',
      progress: '100%',
      prompt: 'a lighthouse at dawn --ar 3:2',
      promptEn: 'a lighthouse at dawn --ar 3:2',
      failReason: '',
      imageUrl: `http://relay.test/mj/image/${mjId}`,
      videoUrls: null,
      properties: { finalPrompt: expect.any(String) },
    });
    expect(done.finishTime).toBeGreaterThanOrEqual(done.startTime);
    expect(done.startTime).toBeGreaterThanOrEqual(done.submitTime - 1000);
    expect(done.buttons.map((b: { label: string }) => b.label)).toEqual(expect.arrayContaining(['U1', 'U2', 'U3', 'U4', 'V1']));
    // The upstream's own id never leaks.
    const upstream = h.sim.tasks();
    expect(upstream.map((t) => t.id)).not.toContain(mjId);
    expect(JSON.stringify(done)).not.toContain(upstream[0]!.id);
    expect(await h.ledger(mjId)).toEqual([['charge', -IMAGINE_PRICE]]);
  });

  test('an upscale of that task runs on the parent channel, costs the upscale price and ends SUCCESS', async () => {
    const parent = (await h.submit('imagine', { prompt: 'a red fox' })).body.result!;
    await h.waitFor(parent, ['SUCCESS']);
    const parentRow = await h.t.deps.services.midjourney.byMjId(parent);
    const before = await h.quota();

    const res = await h.submit('change', { taskId: parent, action: 'UPSCALE', index: 2 });
    expect(res.body).toMatchObject({ code: 1, result: expect.any(String) });
    const up = res.body.result!;
    const done = await h.waitFor(up, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({ action: 'UPSCALE', status: 'SUCCESS', prompt: 'a red fox' });
    expect(done.buttons.map((b: { label: string }) => b.label)).toContain('Vary (Strong)');
    const upRow = await h.t.deps.services.midjourney.byMjId(up);
    expect(upRow).toMatchObject({ channelId: parentRow!.channelId, parentMjId: parent, quota: UPSCALE_PRICE });
    expect(await h.quota()).toBe(before - UPSCALE_PRICE);

    // A button from the upscaled image (action + customId) is relayed the same way, on the same channel.
    const strong = done.buttons.find((b: { label: string }) => b.label === 'Vary (Strong)').customId;
    const vary = await h.submit('action', { taskId: up, customId: strong });
    expect(vary.body.code).toBe(1);
    expect(await h.waitFor(vary.body.result!, ['SUCCESS'])).toMatchObject({ action: 'HIGH_VARIATION' });
    expect((await h.t.deps.services.midjourney.byMjId(vary.body.result!))!.channelId).toBe(parentRow!.channelId);
    expect([parentRow!.channelId, otherChannel]).toContain(upRow!.channelId);
  });

  test('simple-change and mode-prefixed routes behave like change', async () => {
    const parent = (await h.submit('imagine', { prompt: 'a teapot' }, { mode: 'mj-fast' })).body.result!;
    await h.waitFor(parent, ['SUCCESS']);
    const v = await h.submit('simple-change', { content: `${parent} V3` }, { mode: 'mj-relax' });
    expect(v.body.code).toBe(1);
    expect(await h.waitFor(v.body.result!, ['SUCCESS'])).toMatchObject({ action: 'VARIATION' });
    const fetched = await h.http().get(`/mj-turbo/mj/task/${v.body.result}/fetch`).set('Authorization', `Bearer ${h.user.key}`);
    expect(fetched.body).toMatchObject({ id: v.body.result, status: 'SUCCESS' });
  });

  test('list-by-condition returns the caller’s tasks in request order and skips unknown and foreign ids', async () => {
    const a = (await h.submit('imagine', { prompt: 'one' })).body.result!;
    const b = (await h.submit('shorten', { prompt: 'two words please' })).body.result!;
    const stranger = await h.newUser(1_000_000);
    const theirs = (await h.submit('imagine', { prompt: 'mine' }, { key: stranger.key })).body.result!;
    const res = await h
      .http()
      .post('/mj/task/list-by-condition')
      .set('mj-api-secret', h.user.key)
      .send({ ids: [b, 'nope', theirs, a] });
    expect(res.status).toBe(200);
    expect(res.body.map((t: { id: string }) => t.id)).toEqual([b, a]);
    expect(res.body[0]).toMatchObject({ action: 'SHORTEN' });
    const none = await h.http().post('/mj/task/list-by-condition').set('mj-api-secret', h.user.key).send({ ids: [] });
    expect(none.body).toEqual([]);
    const foreign = await h.http().get(`/mj/task/${theirs}/fetch`).set('mj-api-secret', h.user.key);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 3, result: null });
  });

  test('one batched list-by-condition per channel per round, not one request per task', async () => {
    h.sim.resetStats();
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => h.submit('imagine', { prompt: `batch ${i}` }).then((r) => r.body.result!)));
    for (const id of ids) await h.waitFor(id, ['SUCCESS']);
    const stats = h.sim.stats();
    expect(stats.idsPerListCall.some((n) => n >= 2)).toBe(true);
    expect(stats.fetch_one).toBeLessThan(ids.length);
  });
});
