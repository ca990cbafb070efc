import { messageHash } from './index';
import { useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { headers, post, submit, finishedImagine } = ctx.client;

  test('requests without or with a wrong mj-api-secret get HTTP 401', async () => {
    const missing = await fetch(`${ctx.sim.url}/mj/submit/imagine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(missing.status).toBe(401);
    const wrong = await post('/mj/submit/imagine', { prompt: 'x' }, headers('nope'));
    expect(wrong.status).toBe(401);
    const fetchOne = await fetch(`${ctx.sim.url}/mj/task/1/fetch`);
    expect(fetchOne.status).toBe(401);
    expect(ctx.sim.stats().unauthorized).toBe(3);
    expect(ctx.sim.tasks()).toHaveLength(0);
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
    ctx.sim.setBannedWords(['dog']);
    expect((await submit('imagine', { prompt: 'a dog' })).code).toBe(24);
    expect((await submit('imagine', { prompt: 'banned-word' })).code).toBe(1);
    expect(ctx.sim.tasks()).toHaveLength(1);
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
      prompt: 'ok',
      notifyHook: '',
      action: '',
      index: 0,
      state: '',
      taskId: '',
      base64Array: null,
      content: '',
    });
    expect(newApiStyle.code).toBe(1);
    const bad = await post('/mj/submit/imagine', undefined, headers());
    expect(bad.status).toBe(200);
    const notJson = await fetch(`${ctx.sim.url}/mj/submit/imagine`, { method: 'POST', headers: headers(), body: '{oops' });
    expect(notJson.status).toBe(400);
  });
});
