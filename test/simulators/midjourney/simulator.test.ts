import { Agent, request as httpRequest } from 'node:http';
import { inflateSync } from 'node:zlib';
import {
  buildPng,
  buttonsFor,
  messageHash,
  parseCustomId,
  PNG_SIGNATURE,
  startMidjourneySimulator,
  type MidjourneySimulator,
  type SubmitReply,
  type TaskJson,
} from './index';

const T0 = 1_700_000_000_000;
const STEP = 100;

/** Shared by the fake-clock suites: tests move time explicitly instead of sleeping. */
let clock = T0;
let sim: MidjourneySimulator;

function headers(secret = sim.secret): Record<string, string> {
  return { 'content-type': 'application/json', 'mj-api-secret': secret };
}

async function post(path: string, body: unknown, h: Record<string, string> = headers()): Promise<Response> {
  return fetch(`${sim.url}${path}`, { method: 'POST', headers: h, body: JSON.stringify(body) });
}

async function submit(route: string, body: unknown): Promise<SubmitReply> {
  const res = await post(`/mj/submit/${route}`, body);
  expect(res.status).toBe(200);
  return (await res.json()) as SubmitReply;
}

async function fetchTask(id: string): Promise<TaskJson> {
  const res = await fetch(`${sim.url}/mj/task/${id}/fetch`, { headers: headers() });
  expect(res.status).toBe(200);
  return (await res.json()) as TaskJson;
}

async function listTasks(ids: string[]): Promise<TaskJson[]> {
  const res = await post('/mj/task/list-by-condition', { ids });
  expect(res.status).toBe(200);
  return (await res.json()) as TaskJson[];
}

/** Submits an imagine and jumps the clock past the whole timeline. */
async function finishedImagine(prompt = 'a red fox in snow'): Promise<TaskJson> {
  const r = await submit('imagine', { prompt });
  expect(r.code).toBe(1);
  clock += STEP * 10;
  const t = await fetchTask(r.result!);
  expect(t.status).toBe('SUCCESS');
  return t;
}

function button(task: TaskJson, prefix: string): string {
  const b = task.buttons.find((x) => x.customId.startsWith(prefix));
  if (!b) throw new Error(`no button ${prefix} on task ${task.id}`);
  return b.customId;
}

describe('midjourney simulator (fake clock)', () => {
  beforeAll(async () => {
    sim = await startMidjourneySimulator({ stepMs: STEP, now: () => clock, imageBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    clock = T0;
  });

  test('requests without or with a wrong mj-api-secret get HTTP 401', async () => {
    const missing = await fetch(`${sim.url}/mj/submit/imagine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(missing.status).toBe(401);
    const wrong = await post('/mj/submit/imagine', { prompt: 'x' }, headers('nope'));
    expect(wrong.status).toBe(401);
    const fetchOne = await fetch(`${sim.url}/mj/task/1/fetch`);
    expect(fetchOne.status).toBe(401);
    expect(sim.stats().unauthorized).toBe(3);
    expect(sim.tasks()).toHaveLength(0);
  });

  test('imagine goes SUBMITTED → IN_PROGRESS 10/35/67/90% → SUCCESS with buttons and a PNG imageUrl', async () => {
    const r = await submit('imagine', { prompt: 'a red fox in snow', state: 'user-42', botType: 'MID_JOURNEY' });
    expect(r).toMatchObject({ code: 1, description: '提交成功' });
    expect(r.result).toMatch(/^\d{16}$/);
    const id = r.result!;

    const seen: TaskJson[] = [];
    for (let step = 0; step <= 5; step++) {
      clock = T0 + step * STEP;
      seen.push(await fetchTask(id));
    }
    expect(seen.map((t) => `${t.status} ${t.progress}`)).toEqual([
      'SUBMITTED 0%',
      'IN_PROGRESS 10%',
      'IN_PROGRESS 35%',
      'IN_PROGRESS 67%',
      'IN_PROGRESS 90%',
      'SUCCESS 100%',
    ]);
    expect(seen[0]).toMatchObject({ action: 'IMAGINE', submitTime: T0, startTime: null, finishTime: null, imageUrl: null, buttons: [] });
    const done = seen[5]!;
    expect(done).toMatchObject({
      id,
      prompt: 'a red fox in snow',
      promptEn: 'a red fox in snow',
      description: '/imagine a red fox in snow',
      state: 'user-42',
      submitTime: T0,
      startTime: T0 + STEP,
      finishTime: T0 + 5 * STEP,
      failReason: null,
      imageUrl: `${sim.url}/mj/image-bytes/${id}.png`,
      properties: { finalPrompt: 'a red fox in snow', messageHash: messageHash(id) },
    });
    const hash = messageHash(id);
    expect(done.buttons.map((b) => b.customId)).toEqual([
      `MJ::JOB::upsample::1::${hash}`,
      `MJ::JOB::upsample::2::${hash}`,
      `MJ::JOB::upsample::3::${hash}`,
      `MJ::JOB::upsample::4::${hash}`,
      `MJ::JOB::reroll::0::${hash}::SOLO`,
      `MJ::JOB::variation::1::${hash}`,
      `MJ::JOB::variation::2::${hash}`,
      `MJ::JOB::variation::3::${hash}`,
      `MJ::JOB::variation::4::${hash}`,
    ]);
    expect(done.buttons[0]).toEqual({ customId: `MJ::JOB::upsample::1::${hash}`, emoji: '', label: 'U1', type: 2, style: 2 });
    expect(done.buttons[4]).toMatchObject({ emoji: '🔄', label: '' });

    // The image URL needs no secret, like a CDN link.
    const img = await fetch(done.imageUrl!);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await img.arrayBuffer());
    expect(bytes.length).toBe(1024 * 1024);
    expect(Number(img.headers.get('content-length'))).toBe(1024 * 1024);
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('the served PNG is structurally valid: IHDR first, IDAT inflates to the declared size, IEND last', () => {
    const png = buildPng(3 * 1024 * 1024 + 17);
    expect(png.length).toBe(3 * 1024 * 1024 + 17);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let off = 8, i = 0; off < png.length && i < 100; i++) {
      const len = png.readUInt32BE(off);
      chunks.push({ type: png.toString('latin1', off + 4, off + 8), data: png.subarray(off + 8, off + 8 + len) });
      off += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'tEXt', 'IEND']);
    const width = chunks[0]!.data.readUInt32BE(0);
    const height = chunks[0]!.data.readUInt32BE(4);
    expect(inflateSync(chunks[1]!.data).length).toBe(height * (width + 1));
    expect(buildPng(64).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('change UPSCALE on a finished imagine creates an UPSCALE task whose result offers upscale/vary/zoom/pan buttons', async () => {
    const parent = await finishedImagine();
    const r = await submit('change', { taskId: parent.id, action: 'UPSCALE', index: 2 });
    expect(r.code).toBe(1);
    expect(r.result).not.toBe(parent.id);
    clock += STEP * 10;
    const up = await fetchTask(r.result!);
    expect(up).toMatchObject({
      action: 'UPSCALE',
      status: 'SUCCESS',
      prompt: parent.prompt,
      description: `/up ${parent.id} U2`,
      properties: { customId: `MJ::JOB::upsample::2::${messageHash(parent.id)}`, parentTaskId: parent.id },
    });
    const h = messageHash(up.id);
    const ids = up.buttons.map((b) => b.customId);
    expect(ids).toEqual(
      expect.arrayContaining([
        `MJ::JOB::upsample_v6_2x_subtle::1::${h}::SOLO`,
        `MJ::Outpaint::50::1::${h}::SOLO`,
        `MJ::JOB::pan_left::1::${h}::SOLO`,
        `MJ::CustomZoom::${h}`,
        `MJ::Inpaint::1::${h}::SOLO`,
      ]),
    );
    expect(ids.some((id) => id.startsWith('MJ::JOB::upsample::'))).toBe(false);
  });

  test('upscaling the same image twice answers 21 with the existing task id and its status', async () => {
    const parent = await finishedImagine();
    const first = await submit('change', { taskId: parent.id, action: 'UPSCALE', index: 1 });
    const again = await submit('action', { taskId: parent.id, customId: button(parent, 'MJ::JOB::upsample::1::') });
    expect(again).toMatchObject({ code: 21, result: first.result, properties: { status: 'SUBMITTED' } });
    clock += STEP * 10;
    const third = await submit('change', { taskId: parent.id, action: 'UPSCALE', index: 1 });
    expect(third).toMatchObject({ code: 21, result: first.result, properties: { status: 'SUCCESS', imageUrl: `${sim.url}/mj/image-bytes/${first.result}.png` } });
  });

  test('action customIds map to UPSCALE, VARIATION, REROLL, PAN and ZOOM tasks', async () => {
    const grid = await finishedImagine();
    const up = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::upsample::3::') });
    const vary = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::variation::4::') });
    const reroll = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::reroll::') });
    clock += STEP * 10;
    const single = await fetchTask(up.result!);
    const pan = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::pan_left::') });
    const zoom = await submit('action', { taskId: single.id, customId: button(single, 'MJ::Outpaint::50::') });
    const subtle = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::upsample_v6_2x_subtle::') });
    const strong = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::high_variation::') });
    const results = [up, vary, reroll, pan, zoom, subtle, strong];
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    clock += STEP * 10;
    const tasks = await listTasks(results.map((r) => r.result!));
    expect(tasks.map((t) => t.action)).toEqual(['UPSCALE', 'VARIATION', 'REROLL', 'PAN', 'ZOOM', 'UPSCALE', 'VARIATION']);
    expect(tasks.every((t) => t.status === 'SUCCESS')).toBe(true);
    // Variations, rerolls, pans and zooms produce a new grid that can be upscaled again.
    expect(tasks[3]!.buttons.map((b) => b.label)).toContain('U1');
  });

  test('CustomZoom parks the task in MODAL (code 21) until /submit/modal starts it', async () => {
    const grid = await finishedImagine();
    const up = await submit('change', { taskId: grid.id, action: 'UPSCALE', index: 1 });
    clock += STEP * 10;
    const single = await fetchTask(up.result!);
    const r = await submit('action', { taskId: single.id, customId: button(single, 'MJ::CustomZoom::') });
    expect(r).toMatchObject({ code: 21, properties: { status: 'MODAL' } });
    clock += STEP * 10;
    expect(await fetchTask(r.result!)).toMatchObject({ action: 'ZOOM', status: 'MODAL', progress: '0%' });

    const m = await submit('modal', { taskId: r.result, prompt: 'a red fox in snow --zoom 1.8' });
    expect(m).toMatchObject({ code: 1, result: r.result });
    expect((await fetchTask(r.result!)).status).toBe('SUBMITTED');
    clock += STEP * 10;
    expect(await fetchTask(r.result!)).toMatchObject({ status: 'SUCCESS', prompt: 'a red fox in snow --zoom 1.8' });

    const inpaint = await submit('action', { taskId: single.id, customId: button(single, 'MJ::Inpaint::') });
    expect(inpaint.properties.status).toBe('MODAL');
    expect((await submit('modal', { taskId: inpaint.result, prompt: 'hat' })).code).toBe(4);
    expect((await submit('modal', { taskId: inpaint.result, prompt: 'hat', maskBase64: 'iVBORw0KGgo=' })).code).toBe(1);
  });

  test('simple-change "<taskId> U2|V1|R" behaves like change', async () => {
    const grid = await finishedImagine();
    const u = await submit('simple-change', { content: `${grid.id} U2` });
    const v = await submit('simple-change', { content: `${grid.id} v1` });
    const r = await submit('simple-change', { content: `${grid.id} R` });
    expect([u.code, v.code, r.code]).toEqual([1, 1, 1]);
    expect((await listTasks([u.result!, v.result!, r.result!])).map((t) => t.action)).toEqual(['UPSCALE', 'VARIATION', 'REROLL']);
  });

  test('an unknown parent task answers code 3 on change, simple-change, action and modal', async () => {
    const h = messageHash('404');
    const replies = await Promise.all([
      submit('change', { taskId: '404', action: 'UPSCALE', index: 1 }),
      submit('simple-change', { content: '404 U1' }),
      submit('action', { taskId: '404', customId: `MJ::JOB::upsample::1::${h}` }),
      submit('modal', { taskId: '404', prompt: 'x' }),
    ]);
    expect(replies.map((r) => r.code)).toEqual([3, 3, 3, 3]);
    expect(replies[0]).toMatchObject({ result: null, description: '关联任务不存在或已失效' });
  });

  test('a prompt containing a banned word answers code 24 with the word, and creates no task', async () => {
    const r = await submit('imagine', { prompt: 'a cat holding a Banned-Word sign' });
    expect(r).toMatchObject({ code: 24, result: null, properties: { bannedWord: 'banned-word' } });
    expect((await submit('shorten', { prompt: 'banned-word again' })).code).toBe(24);
    sim.setBannedWords(['dog']);
    expect((await submit('imagine', { prompt: 'a dog' })).code).toBe(24);
    expect((await submit('imagine', { prompt: 'banned-word' })).code).toBe(1);
    expect(sim.tasks()).toHaveLength(1);
  });

  test('invalid submits answer code 4: missing prompt, bad index, malformed customId, wrong blend size, unfinished parent', async () => {
    const grid = await finishedImagine();
    const pending = await submit('imagine', { prompt: 'still rendering' });
    const cases: [string, unknown][] = [
      ['imagine', {}],
      ['imagine', { prompt: '   ' }],
      ['imagine', { prompt: 'x', base64Array: ['not base64!'] }],
      ['change', { taskId: grid.id, action: 'UPSCALE', index: 5 }],
      ['change', { taskId: grid.id, action: 'UPSCALE' }],
      ['change', { taskId: grid.id, action: 'ZOOM', index: 1 }],
      ['simple-change', { content: `${grid.id} U9` }],
      ['action', { taskId: grid.id, customId: 'MJ::JOB::bogus' }],
      ['action', { taskId: grid.id, customId: `MJ::JOB::upsample::1::${messageHash('someone-else')}` }],
      ['action', { taskId: grid.id }],
      ['describe', {}],
      ['blend', { base64Array: ['aGVsbG8='] }],
      ['blend', { base64Array: ['aGVsbG8=', 'aGVsbG8='], dimensions: 'WIDE' }],
      ['modal', { taskId: grid.id, prompt: 'not a modal task' }],
      ['change', { taskId: pending.result, action: 'UPSCALE', index: 1 }],
    ];
    for (const [route, body] of cases) {
      const r = await submit(route, body);
      expect({ route, body, code: r.code, result: r.result }).toEqual({ route, body, code: 4, result: null });
    }
    // new-api sends every struct field, empty ones included; those must not be validation errors.
    const newApiStyle = await submit('imagine', {
      prompt: 'ok', notifyHook: '', action: '', index: 0, state: '', taskId: '', base64Array: null, content: '',
    });
    expect(newApiStyle.code).toBe(1);
    const bad = await post('/mj/submit/imagine', undefined, headers());
    expect(bad.status).toBe(200);
    const notJson = await fetch(`${sim.url}/mj/submit/imagine`, { method: 'POST', headers: headers(), body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  test('describe, blend and shorten create DESCRIBE, BLEND and SHORTEN tasks that finish', async () => {
    const d = await submit('describe', { base64: 'data:image/png;base64,iVBORw0KGgo=' });
    const b = await submit('blend', { base64Array: ['data:image/png;base64,iVBORw0KGgo=', 'iVBORw0KGgo='], dimensions: 'PORTRAIT' });
    const s = await submit('shorten', { prompt: 'a very long and flowery prompt about foxes in the snow at dawn' });
    clock += STEP * 10;
    const [dt, bt, st] = await listTasks([d.result!, b.result!, s.result!]);
    expect(dt).toMatchObject({ action: 'DESCRIBE', status: 'SUCCESS', buttons: [] });
    expect(dt!.prompt).toContain('1️⃣');
    expect(dt!.imageUrl).toMatch(/\.png$/);
    expect(bt).toMatchObject({ action: 'BLEND', status: 'SUCCESS', prompt: 'blend of 2 images --ar 2:3' });
    expect(bt!.buttons).toHaveLength(9);
    expect(st).toMatchObject({ action: 'SHORTEN', status: 'SUCCESS', imageUrl: null });
    expect(st!.properties.finalPrompt).toContain('1️⃣');
  });

  test('list-by-condition returns tasks in request order and skips unknown, duplicate and dropped ids; fetch 404s them', async () => {
    const a = await submit('imagine', { prompt: 'first' });
    const dropped = await submit('imagine', { prompt: 'gone [sim:drop]' });
    const b = await submit('imagine', { prompt: 'second' });
    expect(dropped.code).toBe(1);
    const tasks = await listTasks([b.result!, 'does-not-exist', dropped.result!, a.result!, b.result!]);
    expect(tasks.map((t) => t.id)).toEqual([b.result, a.result]);
    expect((await fetch(`${sim.url}/mj/task/${dropped.result}/fetch`, { headers: headers() })).status).toBe(404);
    expect((await fetch(`${sim.url}/mj/task/nope/fetch`, { headers: headers() })).status).toBe(404);
    expect(await listTasks([])).toEqual([]);
    const noIds = await post('/mj/task/list-by-condition', {});
    expect(await noIds.json()).toEqual([]);
    // The simulator itself still knows the dropped task.
    expect(sim.task(dropped.result!)).toBeDefined();
  });

  test('a [sim:fail] task ends in FAILURE keeping the progress it reached; [sim:stall] never leaves IN_PROGRESS', async () => {
    const f = await submit('imagine', { prompt: 'doomed [sim:fail]' });
    const s = await submit('imagine', { prompt: 'stuck [sim:stall]' });
    clock += STEP * 2;
    expect((await fetchTask(f.result!)).progress).toBe('35%');
    clock += STEP * 100;
    expect(await fetchTask(f.result!)).toMatchObject({
      status: 'FAILURE',
      progress: '35%',
      failReason: 'Simulated failure (mj-sim)',
      finishTime: T0 + 3 * STEP,
      imageUrl: null,
      buttons: [],
    });
    expect(await fetchTask(s.result!)).toMatchObject({ status: 'IN_PROGRESS', progress: '90%', finishTime: null });
  });

  test('the default outcome and queued outcomes pick the fate of tasks without markers', async () => {
    sim.setDefaultOutcome('stall');
    sim.queueOutcome('fail');
    const first = await submit('imagine', { prompt: 'one' });
    const second = await submit('imagine', { prompt: 'two' });
    const marked = await submit('imagine', { prompt: 'three [sim:success]' });
    clock += STEP * 100;
    const [a, b, c] = await listTasks([first.result!, second.result!, marked.result!]);
    expect([a!.status, b!.status, c!.status]).toEqual(['FAILURE', 'IN_PROGRESS', 'SUCCESS']);
  });

  test('sim.complete and sim.fail force a terminal state immediately', async () => {
    const a = await submit('imagine', { prompt: 'stuck [sim:stall]' });
    const b = await submit('imagine', { prompt: 'will be failed' });
    clock += STEP * 3;
    expect(sim.complete(a.result!)).toMatchObject({ status: 'SUCCESS', progress: '100%', finishTime: clock });
    expect(sim.fail(b.result!, 'banned by moderator')).toMatchObject({ status: 'FAILURE', progress: '67%', failReason: 'banned by moderator' });
    expect((await fetchTask(a.result!)).buttons).toHaveLength(9);
    expect((await fetchTask(b.result!)).status).toBe('FAILURE');
    expect(() => sim.complete('nope')).toThrow(/unknown task/);
  });

  test('queued submit codes answer 21, 22, 23, 24, 9 in order, then submits are accepted again', async () => {
    sim.queueSubmitCode(21);
    sim.queueSubmitCode(22);
    sim.queueSubmitCode(23);
    sim.queueSubmitCode(24);
    sim.queueSubmitCode(9, 1, 'upstream exploded');
    const replies: SubmitReply[] = [];
    for (let i = 0; i < 6; i++) replies.push(await submit('imagine', { prompt: `p${i}` }));
    expect(replies.map((r) => r.code)).toEqual([21, 22, 23, 24, 9, 1]);
    expect(replies[0]!.properties.status).toBe('SUCCESS');
    expect((await fetchTask(replies[0]!.result!)).status).toBe('SUCCESS');
    expect(replies[1]!.result).toMatch(/^\d+$/);
    expect(replies[1]!.description).toContain('排队中');
    expect(replies[2]!.result).toBeNull();
    expect(replies[4]).toMatchObject({ description: 'upstream exploded', result: null });
    // A queued (22) task waits in NOT_START before it is submitted.
    expect((await fetchTask(replies[1]!.result!)).status).toBe('NOT_START');
    clock += STEP * 2;
    expect((await fetchTask(replies[1]!.result!)).status).toBe('SUBMITTED');
    expect(sim.tasks()).toHaveLength(3);
  });

  test('request faults are served in order per route group: 429, 500, garbage, delay, then normal', async () => {
    sim.queueFault('list', { status: 429 });
    sim.queueFault('list', { status: 500 });
    sim.queueFault('list', { garbage: true });
    sim.queueFault('list', { delayMs: 150 });
    sim.queueFault('fetch', { status: 502 }, 2);

    const r1 = await post('/mj/task/list-by-condition', { ids: [] });
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('1');
    const r2 = await post('/mj/task/list-by-condition', { ids: [] });
    expect(r2.status).toBe(500);
    const r3 = await post('/mj/task/list-by-condition', { ids: [] });
    expect(r3.status).toBe(200);
    const text = await r3.text();
    expect(() => JSON.parse(text)).toThrow();
    const started = Date.now();
    const r4 = await post('/mj/task/list-by-condition', { ids: [] });
    expect(r4.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await r4.json()).toEqual([]);
    expect((await post('/mj/task/list-by-condition', { ids: [] })).status).toBe(200);

    // Other groups are unaffected by the list queue; fetch consumes its own two faults.
    expect((await submit('imagine', { prompt: 'ok' })).code).toBe(1);
    const f = [await fetch(`${sim.url}/mj/task/x/fetch`, { headers: headers() }), await fetch(`${sim.url}/mj/task/x/fetch`, { headers: headers() })];
    expect(f.map((r) => r.status)).toEqual([502, 502]);
    expect((await fetch(`${sim.url}/mj/task/x/fetch`, { headers: headers() })).status).toBe(404);
  });

  test('a reset fault drops the connection without an answer', async () => {
    sim.queueFault('submit', { reset: true });
    await expect(post('/mj/submit/imagine', { prompt: 'x' })).rejects.toThrow();
    expect((await submit('imagine', { prompt: 'x' })).code).toBe(1);
  });

  test('the down switch answers 503 on every protocol route but keeps the control API reachable', async () => {
    const r = await submit('imagine', { prompt: 'before' });
    sim.setDown(true);
    const statuses = await Promise.all([
      post('/mj/submit/imagine', { prompt: 'x' }).then((x) => x.status),
      post('/mj/task/list-by-condition', { ids: [r.result] }).then((x) => x.status),
      fetch(`${sim.url}/mj/task/${r.result}/fetch`, { headers: headers() }).then((x) => x.status),
      fetch(`${sim.url}/mj/image-bytes/${r.result}.png`).then((x) => x.status),
      fetch(`${sim.url}/mj/task/${r.result}/fetch`).then((x) => x.status),
    ]);
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    const up = await fetch(`${sim.url}/__sim/down`, { method: 'POST', body: JSON.stringify({ down: false }) });
    expect(await up.json()).toMatchObject({ ok: true, down: false });
    expect((await fetchTask(r.result!)).id).toBe(r.result);
  });

  test('stats count requests per route and ids per list call, over the API and GET /__sim/stats, and reset', async () => {
    const a = await submit('imagine', { prompt: 'a' });
    await submit('change', { taskId: 'missing', action: 'UPSCALE', index: 1 });
    await listTasks([a.result!, 'x', 'y']);
    await listTasks([a.result!]);
    await fetchTask(a.result!);
    clock += STEP * 10;
    await fetch(`${sim.url}/mj/image-bytes/${a.result}.png`).then((r) => r.arrayBuffer());
    await fetch(`${sim.url}/nowhere`);
    const expected = {
      submit: 2,
      list_by_condition: 2,
      fetch_one: 1,
      image: 1,
      other: 1,
      idsPerListCall: [3, 1],
      submitByRoute: { imagine: 1, change: 1 },
      imageBytesSent: 1024 * 1024,
    };
    expect(sim.stats()).toMatchObject(expected);
    const overHttp = await (await fetch(`${sim.url}/__sim/stats`)).json();
    expect(overHttp).toMatchObject(expected);
    await fetch(`${sim.url}/__sim/stats`, { method: 'DELETE' });
    expect(sim.stats()).toMatchObject({ submit: 0, list_by_condition: 0, fetch_one: 0, image: 0, idsPerListCall: [] });
    sim.resetStats();
  });

  test('the control API scripts faults, submit codes, outcomes and task completion over HTTP', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${sim.url}/__sim${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await control('/faults', { group: 'submit', status: 429, count: 1 })).status).toBe(200);
    expect((await control('/faults', { group: 'nope', status: 429 })).status).toBe(400);
    expect((await control('/submit-codes', { code: 23 })).status).toBe(200);
    expect((await control('/outcome', { outcome: 'stall' })).status).toBe(200);

    expect((await post('/mj/submit/imagine', { prompt: 'x' })).status).toBe(429);
    expect((await submit('imagine', { prompt: 'x' })).code).toBe(23);
    const r = await submit('imagine', { prompt: 'x' });
    clock += STEP * 100;
    expect((await fetchTask(r.result!)).status).toBe('IN_PROGRESS');
    const completed = await (await control(`/tasks/${r.result}/complete`)).json();
    expect(completed).toMatchObject({ id: r.result, status: 'SUCCESS' });
    const failed = await (await control(`/tasks/${r.result}/fail`, { reason: 'demo' })).json();
    expect(failed).toMatchObject({ status: 'FAILURE', failReason: 'demo' });
    expect((await (await fetch(`${sim.url}/__sim/tasks`)).json()) as TaskJson[]).toHaveLength(1);
    expect((await control('/tasks/unknown/complete')).status).toBe(404);
    expect(((await (await fetch(`${sim.url}/__sim`)).json()) as { endpoints: string[] }).endpoints.length).toBeGreaterThan(5);
    expect((await control('/reset')).status).toBe(200);
    expect(sim.tasks()).toHaveLength(0);
  });

  test('the /mj-fast, /mj-relax and /mj-turbo prefixes reach the same API', async () => {
    const res = await fetch(`${sim.url}/mj-fast/mj/submit/imagine`, { method: 'POST', headers: headers(), body: JSON.stringify({ prompt: 'fast' }) });
    const r = (await res.json()) as SubmitReply;
    expect(r.code).toBe(1);
    const t = await fetch(`${sim.url}/mj-relax/mj/task/${r.result}/fetch`, { headers: headers() });
    expect(t.status).toBe(200);
  });

  test('image-bytes 404s for unknown tasks and can be slowed down', async () => {
    expect((await fetch(`${sim.url}/mj/image-bytes/123.png`)).status).toBe(404);
    const t = await finishedImagine();
    sim.setImage({ delayMs: 200, chunkDelayMs: 5, bytes: 256 * 1024 });
    const started = Date.now();
    const res = await fetch(t.imageUrl!);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Date.now() - started).toBeGreaterThanOrEqual(190 + 3 * 5);
    expect(body.length).toBe(256 * 1024);
    expect(body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('huge mode streams a declared multi-GiB PNG that a size-limited client can abort', async () => {
    const t = await finishedImagine();
    const huge = 4 * 1024 * 1024 * 1024;
    sim.setImage({ hugeBytes: huge });
    const ac = new AbortController();
    const res = await fetch(t.imageUrl!, { signal: ac.signal });
    expect(res.headers.get('content-length')).toBe(String(huge));
    const reader = res.body!.getReader();
    let received = 0;
    let first: Uint8Array | undefined;
    for (let i = 0; i < 10_000 && received < 2 * 1024 * 1024; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      first ??= value;
      received += value.length;
    }
    ac.abort();
    expect(received).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(Buffer.from(first!.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);

    sim.setImage({ hugeBytes: 3 * 1024 * 1024, omitContentLength: true });
    const chunked = await fetch(t.imageUrl!);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect(chunked.headers.get('transfer-encoding')).toBe('chunked');
    expect((await chunked.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
    // The aborted 4 GiB transfer stopped at the client's limit instead of being pushed (or buffered) in full.
    expect(sim.stats().imageBytesSent).toBeLessThan(256 * 1024 * 1024);
    // The server is still healthy after the aborted transfer.
    expect((await fetchTask(t.id)).status).toBe('SUCCESS');
  });
});

describe('midjourney simulator (real clock)', () => {
  test('an imagine polled on the real clock reaches SUCCESS with strictly increasing progress', async () => {
    const s = await startMidjourneySimulator({ stepMs: 20, secret: 'real-clock' });
    try {
      const res = await fetch(`${s.url}/mj/submit/imagine`, {
        method: 'POST',
        headers: { 'mj-api-secret': 'real-clock', 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'clockwork' }),
      });
      const { result } = (await res.json()) as SubmitReply;
      const progress: number[] = [];
      let last: TaskJson | undefined;
      for (let i = 0; i < 200 && last?.status !== 'SUCCESS'; i++) {
        const r = await fetch(`${s.url}/mj/task/${result}/fetch`, { headers: { 'mj-api-secret': 'real-clock' } });
        last = (await r.json()) as TaskJson;
        const p = parseInt(last.progress, 10);
        if (progress.at(-1) !== p) progress.push(p);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(last?.status).toBe('SUCCESS');
      expect(progress.at(-1)).toBe(100);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
      expect(last!.finishTime! - last!.submitTime).toBeGreaterThanOrEqual(100);
    } finally {
      await s.stop();
    }
  });
});

describe('midjourney simulator lifecycle', () => {
  test('stop() closes idle keep-alive and in-flight connections promptly, and the port stops accepting', async () => {
    const s = await startMidjourneySimulator({ stepMs: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = (path: string) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${s.url}${path}`, { agent, headers: { 'mj-api-secret': s.secret } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const submitted = await fetch(`${s.url}/mj/submit/imagine`, {
        method: 'POST',
        headers: { 'mj-api-secret': s.secret, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'x' }),
      });
      const { result } = (await submitted.json()) as SubmitReply;
      expect((await get(`/mj/task/${result}/fetch`)).status).toBe(200);
      const idleSockets = Object.values(agent.freeSockets).flat();
      expect(idleSockets.length).toBe(1);
      const closed = new Promise<void>((resolve) => idleSockets[0]!.once('close', () => resolve()));

      s.setImage({ delayMs: 60_000 });
      const inFlight = get(`/mj/image-bytes/${result}.png`).then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));

      const started = Date.now();
      await s.stop();
      expect(Date.now() - started).toBeLessThan(1000);
      await closed;
      expect(await inFlight).toBe('failed');
      await expect(fetch(`${s.url}/__sim/stats`)).rejects.toThrow();
      await s.stop(); // idempotent
    } finally {
      agent.destroy();
      await s.stop();
    }
  });

  test('importing main.ts does not start a server', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    // A dynamic import() would need a ".js" suffix under node16 resolution; require is what CommonJS output does anyway.
    jest.isolateModules(() => require('./main'));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    expect(after).toBe(before);
  });

  test('every generated button customId parses back to its action', () => {
    const h = messageHash('1');
    const parsed = [...buttonsFor('grid', h), ...buttonsFor('single', h)].map((b) => {
      const p = parseCustomId(b.customId);
      return p && `${p.action}${p.modal ? '(modal)' : ''}`;
    });
    expect(parsed).toEqual([
      'UPSCALE', 'UPSCALE', 'UPSCALE', 'UPSCALE', 'REROLL', 'VARIATION', 'VARIATION', 'VARIATION', 'VARIATION',
      'UPSCALE', 'UPSCALE', 'VARIATION', 'VARIATION', 'INPAINT(modal)', 'ZOOM', 'ZOOM', 'ZOOM(modal)', 'PAN', 'PAN', 'PAN', 'PAN',
    ]);
    expect(parseCustomId('MJ::JOB::upsample::9::abcdef12')).toBeNull();
    expect(parseCustomId('MJ::JOB::upsample::0::abcdef12')).toBeNull();
    expect(parseCustomId('MJ::JOB::dance::1::abcdef12')).toBeNull();
    expect(parseCustomId('garbage')).toBeNull();
  });
});
