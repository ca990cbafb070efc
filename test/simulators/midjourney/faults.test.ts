import { useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { headers, post, submit, fetchTask } = ctx.client;

  test('request faults are served in order per route group: 429, 500, garbage, delay, then normal', async () => {
    ctx.sim.queueFault('list', { status: 429 });
    ctx.sim.queueFault('list', { status: 500 });
    ctx.sim.queueFault('list', { garbage: true });
    ctx.sim.queueFault('list', { delayMs: 150 });
    ctx.sim.queueFault('fetch', { status: 502 }, 2);

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
    const f = [await fetch(`${ctx.sim.url}/mj/task/x/fetch`, { headers: headers() }), await fetch(`${ctx.sim.url}/mj/task/x/fetch`, { headers: headers() })];
    expect(f.map((r) => r.status)).toEqual([502, 502]);
    expect((await fetch(`${ctx.sim.url}/mj/task/x/fetch`, { headers: headers() })).status).toBe(404);
  });

  test('a reset fault drops the connection without an answer', async () => {
    ctx.sim.queueFault('submit', { reset: true });
    await expect(post('/mj/submit/imagine', { prompt: 'x' })).rejects.toThrow();
    expect((await submit('imagine', { prompt: 'x' })).code).toBe(1);
  });

  test('the down switch answers 503 on every protocol route but keeps the control API reachable', async () => {
    const r = await submit('imagine', { prompt: 'before' });
    ctx.sim.setDown(true);
    const statuses = await Promise.all([
      post('/mj/submit/imagine', { prompt: 'x' }).then((x) => x.status),
      post('/mj/task/list-by-condition', { ids: [r.result] }).then((x) => x.status),
      fetch(`${ctx.sim.url}/mj/task/${r.result}/fetch`, { headers: headers() }).then((x) => x.status),
      fetch(`${ctx.sim.url}/mj/image-bytes/${r.result}.png`).then((x) => x.status),
      fetch(`${ctx.sim.url}/mj/task/${r.result}/fetch`).then((x) => x.status),
    ]);
    expect(statuses).toEqual([503, 503, 503, 503, 503]);
    const up = await fetch(`${ctx.sim.url}/__sim/down`, { method: 'POST', body: JSON.stringify({ down: false }) });
    expect(await up.json()).toMatchObject({ ok: true, down: false });
    expect((await fetchTask(r.result!)).id).toBe(r.result);
  });
});
