import { type TaskJson } from './index';
import { STEP, useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { post, submit, fetchTask, listTasks } = ctx.client;

  test('stats count requests per route and ids per list call, over the API and GET /__sim/stats, and reset', async () => {
    const a = await submit('imagine', { prompt: 'a' });
    await submit('change', { taskId: 'missing', action: 'UPSCALE', index: 1 });
    await listTasks([a.result!, 'x', 'y']);
    await listTasks([a.result!]);
    await fetchTask(a.result!);
    ctx.advance(STEP * 10);
    await fetch(`${ctx.sim.url}/mj/image-bytes/${a.result}.png`).then((r) => r.arrayBuffer());
    await fetch(`${ctx.sim.url}/nowhere`);
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
    expect(ctx.sim.stats()).toMatchObject(expected);
    const overHttp = await (await fetch(`${ctx.sim.url}/__sim/stats`)).json();
    expect(overHttp).toMatchObject(expected);
    await fetch(`${ctx.sim.url}/__sim/stats`, { method: 'DELETE' });
    expect(ctx.sim.stats()).toMatchObject({ submit: 0, list_by_condition: 0, fetch_one: 0, image: 0, idsPerListCall: [] });
    ctx.sim.resetStats();
  });

  test('the control API scripts faults, submit codes, outcomes and task completion over HTTP', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${ctx.sim.url}/__sim${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
    expect((await control('/faults', { group: 'submit', status: 429, count: 1 })).status).toBe(200);
    expect((await control('/faults', { group: 'nope', status: 429 })).status).toBe(400);
    expect((await control('/submit-codes', { code: 23 })).status).toBe(200);
    expect((await control('/outcome', { outcome: 'stall' })).status).toBe(200);

    expect((await post('/mj/submit/imagine', { prompt: 'x' })).status).toBe(429);
    expect((await submit('imagine', { prompt: 'x' })).code).toBe(23);
    const r = await submit('imagine', { prompt: 'x' });
    ctx.advance(STEP * 100);
    expect((await fetchTask(r.result!)).status).toBe('IN_PROGRESS');
    const completed = await (await control(`/tasks/${r.result}/complete`)).json();
    expect(completed).toMatchObject({ id: r.result, status: 'SUCCESS' });
    const failed = await (await control(`/tasks/${r.result}/fail`, { reason: 'demo' })).json();
    expect(failed).toMatchObject({ status: 'FAILURE', failReason: 'demo' });
    expect((await (await fetch(`${ctx.sim.url}/__sim/tasks`)).json()) as TaskJson[]).toHaveLength(1);
    expect((await control('/tasks/unknown/complete')).status).toBe(404);
    expect(((await (await fetch(`${ctx.sim.url}/__sim`)).json()) as { endpoints: string[] }).endpoints.length).toBeGreaterThan(5);
    expect((await control('/reset')).status).toBe(200);
    expect(ctx.sim.tasks()).toHaveLength(0);
  });
});
