import { messageHash } from './index';
import { button, STEP, useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { submit, fetchTask, listTasks, finishedImagine } = ctx.client;

  test('change UPSCALE on a finished imagine creates an UPSCALE task whose result offers upscale/vary/zoom/pan buttons', async () => {
    const parent = await finishedImagine();
    const r = await submit('change', { taskId: parent.id, action: 'UPSCALE', index: 2 });
    expect(r.code).toBe(1);
    expect(r.result).not.toBe(parent.id);
    ctx.advance(STEP * 10);
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
    ctx.advance(STEP * 10);
    const third = await submit('change', { taskId: parent.id, action: 'UPSCALE', index: 1 });
    expect(third).toMatchObject({
      code: 21,
      result: first.result,
      properties: { status: 'SUCCESS', imageUrl: `${ctx.sim.url}/mj/image-bytes/${first.result}.png` },
    });
  });

  test('action customIds map to UPSCALE, VARIATION, REROLL, PAN and ZOOM tasks', async () => {
    const grid = await finishedImagine();
    const up = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::upsample::3::') });
    const vary = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::variation::4::') });
    const reroll = await submit('action', { taskId: grid.id, customId: button(grid, 'MJ::JOB::reroll::') });
    ctx.advance(STEP * 10);
    const single = await fetchTask(up.result!);
    const pan = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::pan_left::') });
    const zoom = await submit('action', { taskId: single.id, customId: button(single, 'MJ::Outpaint::50::') });
    const subtle = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::upsample_v6_2x_subtle::') });
    const strong = await submit('action', { taskId: single.id, customId: button(single, 'MJ::JOB::high_variation::') });
    const results = [up, vary, reroll, pan, zoom, subtle, strong];
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    ctx.advance(STEP * 10);
    const tasks = await listTasks(results.map((r) => r.result!));
    expect(tasks.map((t) => t.action)).toEqual(['UPSCALE', 'VARIATION', 'REROLL', 'PAN', 'ZOOM', 'UPSCALE', 'VARIATION']);
    expect(tasks.every((t) => t.status === 'SUCCESS')).toBe(true);
    // Variations, rerolls, pans and zooms produce a new grid that can be upscaled again.
    expect(tasks[3]!.buttons.map((b) => b.label)).toContain('U1');
  });

  test('CustomZoom parks the task in MODAL (code 21) until /submit/modal starts it', async () => {
    const grid = await finishedImagine();
    const up = await submit('change', { taskId: grid.id, action: 'UPSCALE', index: 1 });
    ctx.advance(STEP * 10);
    const single = await fetchTask(up.result!);
    const r = await submit('action', { taskId: single.id, customId: button(single, 'MJ::CustomZoom::') });
    expect(r).toMatchObject({ code: 21, properties: { status: 'MODAL' } });
    ctx.advance(STEP * 10);
    expect(await fetchTask(r.result!)).toMatchObject({ action: 'ZOOM', status: 'MODAL', progress: '0%' });

    const m = await submit('modal', { taskId: r.result, prompt: 'a red fox in snow --zoom 1.8' });
    expect(m).toMatchObject({ code: 1, result: r.result });
    expect((await fetchTask(r.result!)).status).toBe('SUBMITTED');
    ctx.advance(STEP * 10);
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
});
