import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { liveSessions } from '../../devices';
import { appiumSessionIds, useAppium } from '../support/appium';
import { fakeDevice, recorder, runOnFake, ui } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
beforeAll(async () => {
  appium = await useAppium();
});
afterAll(() => appium.release());

const interactions = {
  like: ui.feed.likeButton,
  follow: ui.feed.followCreator,
  favorite: ui.feed.favoriteButton,
  comment: ui.feed.commentButton,
  send: ui.comments.send,
  close: ui.comments.close,
};

function counts(remark: string) {
  const m = /watched (\d+) videos; liked (\d+), followed (\d+), collected (\d+), commented (\d+)/.exec(remark);
  if (!m) throw new Error(`unexpected remark: ${remark}`);
  const [videos, likes, follows, collects, comments] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { videos, likes, follows, collects, comments };
}

/** A short warm-up that comments on every video and asks a model for the text; `config` says which model. */
async function warmupCommentingByModel(config: Record<string, unknown>) {
  const rec = recorder({ typed: { comment: ui.comments.input } });
  const { result } = await runOnFake({
    appiumUrl: appium.url,
    script: 'account_warmup',
    fixture: 'warmup.xml',
    config: { task_duration: 1, min_duration: 0.1, max_duration: 0.1, comment_probable: 100, generate_by_chatgpt: true, ...config },
    inspect: rec.inspect,
  });
  return { result, rec };
}

describe('account_warmup script over WebDriver (fake driver)', () => {
  it('watches and swipes until task_duration is spent, interacting by probability (100% = every video)', async () => {
    const rec = recorder({ clicks: interactions, typed: { comment: ui.comments.input } });
    const started = Date.now();
    const { result, error, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      fixture: 'warmup.xml',
      config: {
        task_duration: 2,
        min_duration: 0.1,
        max_duration: 0.2,
        like_probable: 100,
        floow_probable: 100,
        collect_probable: 100,
        comment_probable: 100,
        comment: 'so good',
      },
      inspect: rec.inspect,
    });
    const elapsed = Date.now() - started;
    expect(error).toBeUndefined();
    const n = counts(result!.remark);
    expect(n.videos).toBeGreaterThanOrEqual(1);
    // every completed view (all but possibly the last, cut by the deadline) got every interaction
    expect(n.likes).toBeGreaterThanOrEqual(n.videos - 1);
    expect(rec.seen.clicks).toEqual({ like: n.likes, follow: n.follows, favorite: n.collects, comment: n.comments, send: n.comments, close: n.comments });
    expect(n.likes).toBeGreaterThanOrEqual(1);
    expect(rec.seen.typed.comment).toBe('so good');
    expect(steps.filter((s) => s.description === 'swipe up').length).toBe(n.likes);
    expect(steps[0]?.description).toBe('tap Home tab');
    // bounded by task_duration (2 s), with generous slack for a loaded machine
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('never interacts at 0% and searches the topic first', async () => {
    const rec = recorder({ clicks: { ...interactions, videosTab: ui.search.videosTab, firstVideo: ui.search.firstVideo }, typed: { search: ui.search.input } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      fixture: 'warmup.xml',
      config: { task_duration: 1, min_duration: 0.1, max_duration: 0.1, topic: 'funny cats' },
      inspect: rec.inspect,
    });
    expect(result?.remark).toMatch(/^warm-up ran \d+s on topic "funny cats"; watched \d+ videos; liked 0, followed 0, collected 0, commented 0$/);
    expect(rec.seen.typed.search).toBe('funny cats');
    expect(rec.seen.clicks).toMatchObject({ like: 0, follow: 0, favorite: 0, comment: 0, videosTab: 1, firstVideo: 1 });
  });

  it('asks an OpenAI-compatible endpoint for comments when generate_by_chatgpt is on, sending the video caption', async () => {
    const requests: { auth?: string; body: { model: string; max_tokens: number; messages: { role: string; content: string }[] } }[] = [];
    const llm = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ message: { content: '"Adorable cats!"' } }] }));
      });
    });
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    try {
      const { result, rec } = await warmupCommentingByModel({
        chatgpt_settings: { api_key: 'sk-test', model: 'tiny-model', max_tokens: 40, base_url: `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1` },
      });
      expect(counts(result!.remark).comments).toBeGreaterThanOrEqual(1);
      expect(rec.seen.typed.comment).toBe('Adorable cats!');
      expect(requests[0]).toMatchObject({ auth: 'Bearer sk-test', body: { model: 'tiny-model', max_tokens: 40 } });
      expect(requests[0]!.body.messages[1]!.content).toBe('Video caption: cute cats compilation #cats');
    } finally {
      llm.closeAllConnections();
      await new Promise((resolve) => llm.close(resolve));
    }
  });

  it('falls back to the comment templates when the model endpoint fails', async () => {
    const { result, rec } = await warmupCommentingByModel({
      comment: 'backup comment',
      // nothing listens on port 9 of 127.0.0.1: the request fails at once
      chatgpt_settings: { api_key: 'sk-test', base_url: 'http://127.0.0.1:9/v1' },
    });
    expect(counts(result!.remark).comments).toBeGreaterThanOrEqual(1);
    expect(rec.seen.typed.comment).toBe('backup comment');
  });

  it('stops within seconds when aborted mid-warm-up, reports cancelled and deletes the Appium session', async () => {
    const controller = new AbortController();
    let sessionId: string | undefined;
    const device = fakeDevice('warmup.xml');
    let abortedAt = 0;
    const run = runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      device,
      config: { task_duration: 600, min_duration: 30, max_duration: 30 },
      signal: controller.signal,
      onStep: (step) => {
        sessionId ??= liveSessions().find((s) => s.serial === device.serial)?.sessionId;
        if (step.description.startsWith('watch video') && abortedAt === 0) {
          abortedAt = Date.now();
          setTimeout(() => controller.abort(), 300);
        }
      },
    });
    const { result, error } = await run;
    const stoppedAfter = Date.now() - abortedAt;
    expect(result).toBeUndefined();
    expect(error?.kind).toBe('cancelled');
    expect(error?.message).toMatch(/^stopped at step \d+ \(watch video 1\)$/);
    expect(stoppedAfter).toBeLessThan(5_000);
    expect(sessionId).toBeDefined();
    expect(liveSessions().filter((s) => s.serial === device.serial)).toEqual([]);
    expect(await appiumSessionIds(appium.url)).not.toContain(sessionId);
  });

  it('keeps the session alive through views longer than newCommandTimeout by pinging Appium', async () => {
    const { result, error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      device: fakeDevice('warmup.xml', { 'appium:newCommandTimeout': 1 }),
      config: { task_duration: 3, min_duration: 2.5, max_duration: 2.5 },
      options: { keepAliveMs: 300 },
    });
    expect(error).toBeUndefined();
    expect(counts(result!.remark).videos).toBeGreaterThanOrEqual(1);
  });

  it('reports session_lost when Appium drops the idle session (newCommandTimeout) mid-script', async () => {
    const { error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      device: fakeDevice('warmup.xml', { 'appium:newCommandTimeout': 1 }),
      config: { task_duration: 30, min_duration: 2.5, max_duration: 2.5 },
      // no ping during the 2.5 s view: Appium deletes the session after 1 s idle
      options: { keepAliveMs: 60_000 },
    });
    expect(error?.kind).toBe('session_lost');
    expect(error?.message).toMatch(/^Appium session lost at step \d+ \(swipe up\): /);
  });

  it('reports session_lost when the session is deleted out from under the script', async () => {
    const device = fakeDevice('warmup.xml');
    let deletion: Promise<Response> | undefined;
    const { error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'account_warmup',
      device,
      config: { task_duration: 30, min_duration: 1, max_duration: 1 },
      onStep: (step) => {
        if (step.description.startsWith('watch video') && !deletion) {
          const id = liveSessions().find((s) => s.serial === device.serial)!.sessionId;
          deletion = fetch(new URL(`session/${id}`, appium.url), { method: 'DELETE' });
        }
      },
    });
    expect((await deletion)?.ok).toBe(true);
    expect(error?.kind).toBe('session_lost');
    expect(error?.message).toMatch(/invalid session id|terminated or not started/);
    expect(liveSessions().filter((s) => s.serial === device.serial)).toEqual([]);
  });
});
