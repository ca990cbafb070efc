import { MjTask } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

describe.each(DB_KINDS)('Midjourney relay input checks (%s)', (kind) => {
  let h: MjHarness;
  let done: string;
  let pending: string;
  beforeAll(async () => {
    h = await startMjHarness(kind, { MJ_BASE64_MAX_BYTES: '1000' });
    await h.addChannel();
    done = (await h.submit('imagine', { prompt: 'a finished parent' })).body.result!;
    await h.waitFor(done, ['SUCCESS']);
    pending = (await h.submit('imagine', { prompt: 'still rendering [sim:stall]' })).body.result!;
  });
  afterAll(() => h?.close());

  const rows = () => h.t.db.orm.em.fork().count(MjTask, {});
  // The stalled parent is refunded when its deadline passes (12 s here), in whichever test runs then;
  // balances compared across a test leave that refund out.
  const refunded = async () => (await h.ledger(pending)).filter(([kind]) => kind === 'refund').reduce((sum, [, amount]) => sum + amount, 0);
  const quota = async () => {
    // Read again if the refund landed between the two reads.
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await refunded();
      const balance = await h.quota();
      if ((await refunded()) === before) return balance - before;
    }
    throw new Error('the stalled parent was refunded more than once');
  };

  test('bad requests answer code 4 with a description, and nothing is charged, stored or submitted', async () => {
    const stranger = await h.newUser(1_000_000);
    const theirs = (await h.submit('imagine', { prompt: 'not yours' }, { key: stranger.key })).body.result!;
    await h.waitFor(theirs, ['SUCCESS'], { key: stranger.key });
    const hash = '0123abcd-0123-4567-89ab-0123456789ab';
    const big = Buffer.alloc(2000, 7).toString('base64');
    const cases: [string, object, RegExp][] = [
      ['imagine', {}, /prompt is required/],
      ['imagine', { prompt: '   ' }, /prompt is required/],
      ['imagine', { prompt: 'x', base64Array: ['not base64!!'] }, /not base64/],
      ['imagine', { prompt: 'x', base64Array: [big] }, /too large/],
      ['describe', {}, /base64 image is required/],
      ['describe', { base64: `data:image/png;base64,${big}` }, /too large/],
      ['blend', { base64Array: ['aGVsbG8='] }, /2 to 5 images/],
      ['blend', { base64Array: ['aGVsbG8=', 'aGVsbG8='], dimensions: 'HUGE' }, /dimensions/],
      ['change', { action: 'UPSCALE', index: 1 }, /taskId is required/],
      ['change', { taskId: done, index: 1 }, /action must be/],
      ['change', { taskId: done, action: 'UPSCALE' }, /index must be 1 to 4/],
      ['change', { taskId: theirs, action: 'UPSCALE', index: 1 }, /not found/],
      ['change', { taskId: pending, action: 'UPSCALE', index: 1 }, /has not succeeded/],
      ['change', { taskId: '404404', action: 'VARIATION', index: 2 }, /not found/],
      ['simple-change', { content: `${done} U9` }, /content must look like/],
      ['action', { taskId: done, customId: 'MJ::JOB::bogus' }, /not a Midjourney button id/],
      ['action', { taskId: done, customId: `MJ::JOB::upsample::0::${hash}` }, /not a Midjourney button id/],
      ['action', { taskId: done }, /customId is required/],
      ['action', { taskId: theirs, customId: `MJ::JOB::upsample::1::${hash}` }, /not found/],
      ['modal', { prompt: 'x' }, /taskId is required/],
    ];
    const before = { quota: await quota(), rows: await rows(), submits: h.sim.stats().submit };
    for (const [route, body, description] of cases) {
      const res = await h.submit(route, body);
      expect({ route, body, status: res.status, code: res.body.code, result: res.body.result }).toEqual({ route, body, status: 400, code: 4, result: null });
      expect(res.body.description).toMatch(description);
    }
    expect({ quota: await quota(), rows: await rows(), submits: h.sim.stats().submit }).toEqual(before);
  });

  test('any mode prefix name works, as in new-api; other characters and unknown submit routes are refused, changing nothing', async () => {
    expect((await h.submit('imagine', { prompt: 'slow' }, { mode: 'mj-slow' })).body).toMatchObject({ code: 1 });
    const before = await rows();
    const balance = await quota();
    for (const mode of ['mj%20fast', 'mj.fast', '%3Cb%3E', 'mj%2Ffast%2F..']) {
      const res = await h.submit('imagine', { prompt: 'x' }, { mode });
      expect({ mode, status: res.status, body: res.body }).toMatchObject({
        mode,
        status: 400,
        body: { code: 4, result: null, description: expect.stringMatching(/unknown mode prefix/) },
      });
    }
    const route = await h.submit('swap-everything', { prompt: 'x' });
    expect(route.body).toMatchObject({ code: 4, description: expect.stringMatching(/unknown submit route/) });
    expect(await rows()).toBe(before);
    expect(await quota()).toBe(balance);
  });

  test("a missing or wrong key is 401; mj-api-secret, Bearer and new-api's midjourney-proxy placeholder all work", async () => {
    const none = await h.http().post('/mj/submit/imagine').send({ prompt: 'x' });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 4, result: null, description: expect.stringMatching(/API key/) });
    expect((await h.submit('imagine', { prompt: 'x' }, { key: 'sk-wrong' })).status).toBe(401);
    const viaHeader = await h.http().post('/mj/submit/imagine').set('mj-api-secret', h.user.key).send({ prompt: 'header key' });
    expect(viaHeader.body.code).toBe(1);
    // new-api's fallbacks: midjourney-proxy clients send the placeholder bearer `midjourney-proxy`, some prefix the secret with Bearer.
    const placeholder = await h
      .http()
      .post('/mj/submit/imagine')
      .set({ Authorization: 'Bearer midjourney-proxy', 'mj-api-secret': h.user.key })
      .send({ prompt: 'placeholder bearer' });
    expect(placeholder.body.code).toBe(1);
    const bearerSecret = await h.http().get('/mj/task/none/fetch').set('mj-api-secret', `Bearer ${h.user.key}`);
    expect(bearerSecret.status).toBe(404);
    const placeholderOnly = await h.http().post('/mj/submit/imagine').set('Authorization', 'Bearer midjourney-proxy').send({ prompt: 'x' });
    expect(placeholderOnly.status).toBe(401);
  });

  test('a user without enough quota is refused before anything is created', async () => {
    const poor = await h.newUser(10);
    const before = await rows();
    const res = await h.submit('imagine', { prompt: 'too expensive' }, { key: poor.key });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ result: null, description: expect.stringMatching(/quota/i) });
    expect(await rows()).toBe(before);
    expect(await h.quota(poor.id)).toBe(10);
  });

  test('eight concurrent submits against a balance for three: three accepted, five refused, nothing overdrawn', async () => {
    const user = await h.newUser(3 * 50_000);
    const before = await rows();
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => h.submit('imagine', { prompt: `race ${i}` }, { key: user.key })));
    expect(replies.filter((r) => r.status === 200 && r.body.code === 1)).toHaveLength(3);
    expect(replies.filter((r) => r.status === 403)).toHaveLength(5);
    expect(await h.quota(user.id)).toBe(0);
    expect(await rows()).toBe(before + 3);
    expect(await h.t.deps.services.ledger.audit()).toEqual([]);
  });

  test('two concurrent submits with one Idempotency-Key make one task and one charge', async () => {
    const before = await quota();
    const [a, b] = await Promise.all([1, 2].map(() => h.submit('imagine', { prompt: 'once only' }, { headers: { 'Idempotency-Key': `k-${kind}` } })));
    expect(a.body.result).toBe(b.body.result);
    expect([a.body.code, b.body.code]).toEqual([1, 1]);
    expect(await h.ledger(a.body.result!)).toEqual([['charge', -50_000]]);
    expect(await quota()).toBe(before - 50_000);
  });

  test('a modal on a parked CustomZoom task needs no finished parent and is priced as mj_modal', async () => {
    const up = (await h.submit('change', { taskId: done, action: 'UPSCALE', index: 1 })).body.result!;
    const single = await h.waitFor(up, ['SUCCESS']);
    const zoomId = single.buttons.find((b: { customId: string }) => b.customId.startsWith('MJ::CustomZoom::')).customId;
    const before = await quota();
    const zoom = await h.submit('action', { taskId: up, customId: zoomId });
    // A parked modal keeps midjourney-proxy's 21 so clients know to open the dialog; CustomZoom itself is free.
    expect(zoom.body).toMatchObject({ code: 21, properties: { status: 'MODAL' } });
    expect(await h.waitFor(zoom.body.result!, ['MODAL'])).toMatchObject({ action: 'CUSTOM_ZOOM' });
    expect(await quota()).toBe(before);
    const modal = await h.submit('modal', { taskId: zoom.body.result, prompt: 'a wider view --zoom 2' });
    expect(modal.body.code).toBe(1);
    expect(await h.waitFor(modal.body.result!, ['SUCCESS'])).toMatchObject({ action: 'MODAL' });
    expect(await h.waitFor(zoom.body.result!, ['SUCCESS'])).toMatchObject({ action: 'CUSTOM_ZOOM' });
    expect(await quota()).toBe(before - 50_000);
  });
});
