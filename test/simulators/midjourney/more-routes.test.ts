import { startMidjourneySimulator, type MidjourneySimulator } from './index';
import { STEP, useSimulator } from './test-helpers';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('midjourney simulator: edits, video, swap face, upload, image seed (fake clock)', () => {
  const ctx = useSimulator();
  const { headers, post, submit, fetchTask, finishedImagine } = ctx.client;

  test('edits makes a grid task from an image and a prompt; a missing image is code 4', async () => {
    const r = await submit('edits', { prompt: 'make it blue', image: PNG });
    expect(r.code).toBe(1);
    ctx.advance(STEP * 10);
    expect(await fetchTask(r.result!)).toMatchObject({ action: 'EDITS', status: 'SUCCESS', prompt: 'make it blue' });
    expect((await submit('edits', { prompt: 'no image' })).code).toBe(4);
  });

  test('video from a finished task ends with videoUrl and videoUrls; without taskId or image it is code 4', async () => {
    const parent = await finishedImagine('a teapot');
    const r = await submit('video', { taskId: parent.id, index: 1, motion: 'low' });
    expect(r.code).toBe(1);
    ctx.advance(STEP * 10);
    const done = await fetchTask(r.result!);
    expect(done).toMatchObject({ action: 'VIDEO', status: 'SUCCESS', prompt: 'a teapot', videoUrl: `${ctx.sim.url}/mj/video-bytes/${done.id}_1.mp4` });
    expect(done.videoUrls).toHaveLength(4);
    expect((await submit('video', { motion: 'high' })).code).toBe(4);
    expect((await submit('video', { taskId: 'nope' })).code).toBe(3);
  });

  test('insight-face/swap needs both images and yields an image task', async () => {
    const res = await post('/mj/insight-face/swap', { sourceBase64: PNG, targetBase64: PNG });
    const r: any = await res.json();
    expect(r.code).toBe(1);
    ctx.advance(STEP * 10);
    expect(await fetchTask(r.result)).toMatchObject({ action: 'SWAP_FACE', status: 'SUCCESS', prompt: 'InsightFace' });
    expect(((await (await post('/mj/insight-face/swap', { sourceBase64: PNG })).json()) as any).code).toBe(4);
    expect(ctx.sim.stats().submitByRoute['swap-face']).toBe(2);
  });

  test('upload-discord-images answers the URLs at once; a scripted code replaces them', async () => {
    const r = await (await post('/mj/submit/upload-discord-images', { base64Array: [PNG, PNG] })).json();
    expect(r).toMatchObject({ code: 1, result: [expect.stringMatching(/^https:\/\/cdn\.discordapp\.com\//), expect.any(String)] });
    ctx.sim.queueSubmitCode(23);
    expect(await (await post('/mj/submit/upload-discord-images', { base64Array: [PNG] })).json()).toMatchObject({ code: 23, result: null });
  });

  test('image-seed answers a finished task, refuses an unfinished one, and has its own fault group', async () => {
    const done = await finishedImagine();
    const seed: any = await (await fetch(`${ctx.sim.url}/mj/task/${done.id}/image-seed`, { headers: headers() })).json();
    expect(seed).toMatchObject({ code: 1, result: expect.stringMatching(/^\d+$/) });
    const pending = await submit('imagine', { prompt: 'later' });
    expect(((await (await fetch(`${ctx.sim.url}/mj/task/${pending.result}/image-seed`, { headers: headers() })).json()) as any).code).toBe(4);
    ctx.sim.queueFault('seed', { status: 503 });
    expect((await fetch(`${ctx.sim.url}/mj/task/${done.id}/image-seed`, { headers: headers() })).status).toBe(503);
    expect((await fetch(`${ctx.sim.url}/mj/task/${done.id}/image-seed`)).status).toBe(401);
    expect(ctx.sim.stats().image_seed).toBe(4);
  });
});

describe('midjourney simulator flavours', () => {
  let sim: MidjourneySimulator | undefined;
  afterEach(() => sim?.stop());

  test("the open-source proxy's JSON has no buttons, state or video fields; previews show an image while rendering", async () => {
    let clock = 1_700_000_000_000;
    sim = await startMidjourneySimulator({ stepMs: STEP, now: () => clock, flavour: 'open', previews: true });
    const headers = { 'content-type': 'application/json', 'mj-api-secret': sim.secret };
    const r: any = await (await fetch(`${sim.url}/mj/submit/imagine`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'plain' }) })).json();
    clock += STEP * 3;
    const rendering = await (await fetch(`${sim.url}/mj/task/${r.result}/fetch`, { headers })).json();
    expect(rendering).toMatchObject({ status: 'IN_PROGRESS', imageUrl: `${sim.url}/mj/image-bytes/${r.result}.png` });
    for (const key of ['buttons', 'state', 'videoUrl', 'videoUrls']) expect(rendering).not.toHaveProperty(key);
  });
});
