import { messageHash, PNG_SIGNATURE, startMidjourneySimulator, type SubmitReply, type TaskJson } from './index';
import { STEP, T0, useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { headers, post, submit, fetchTask, listTasks } = ctx.client;

  test('imagine goes SUBMITTED → IN_PROGRESS 10/35/67/90% → SUCCESS with buttons and a PNG imageUrl', async () => {
    const r = await submit('imagine', { prompt: 'a red fox in snow', state: 'user-42', botType: 'MID_JOURNEY' });
    expect(r).toMatchObject({ code: 1, description: '提交成功' });
    expect(r.result).toMatch(/^\d{16}$/);
    const id = r.result!;

    const seen: TaskJson[] = [];
    for (let step = 0; step <= 5; step++) {
      ctx.clock = T0 + step * STEP;
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
      imageUrl: `${ctx.sim.url}/mj/image-bytes/${id}.png`,
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

  test('describe, blend and shorten create DESCRIBE, BLEND and SHORTEN tasks that finish', async () => {
    const d = await submit('describe', { base64: 'data:image/png;base64,iVBORw0KGgo=' });
    const b = await submit('blend', { base64Array: ['data:image/png;base64,iVBORw0KGgo=', 'iVBORw0KGgo='], dimensions: 'PORTRAIT' });
    const s = await submit('shorten', { prompt: 'a very long and flowery prompt about foxes in the snow at dawn' });
    ctx.advance(STEP * 10);
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
    expect((await fetch(`${ctx.sim.url}/mj/task/${dropped.result}/fetch`, { headers: headers() })).status).toBe(404);
    expect((await fetch(`${ctx.sim.url}/mj/task/nope/fetch`, { headers: headers() })).status).toBe(404);
    expect(await listTasks([])).toEqual([]);
    const noIds = await post('/mj/task/list-by-condition', {});
    expect(await noIds.json()).toEqual([]);
    // The simulator itself still knows the dropped task.
    expect(ctx.sim.task(dropped.result!)).toBeDefined();
  });

  test('the /mj-fast, /mj-relax and /mj-turbo prefixes reach the same API', async () => {
    const res = await fetch(`${ctx.sim.url}/mj-fast/mj/submit/imagine`, { method: 'POST', headers: headers(), body: JSON.stringify({ prompt: 'fast' }) });
    const r = (await res.json()) as SubmitReply;
    expect(r.code).toBe(1);
    const t = await fetch(`${ctx.sim.url}/mj-relax/mj/task/${r.result}/fetch`, { headers: headers() });
    expect(t.status).toBe(200);
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
