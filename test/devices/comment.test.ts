import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fanOut, parseScriptConfig } from '../../devices';
import { useAppium } from '../support/appium';
import { recorder, runOnFake, ui } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
let tmp: string;
beforeAll(async () => {
  appium = await useAppium();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-comment-'));
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await appium.release();
});

const URL_A = 'https://www.tiktok.com/@alice/video/7312345678901234567';
const URL_B = 'https://vm.tiktok.com/ZMabc123/';

describe('comment script over WebDriver (fake driver)', () => {
  it('types the comment picked by sequential order into the comment box and sends it', async () => {
    const rec = recorder({ clicks: { open: ui.feed.commentButton, send: ui.comments.send }, typed: { comment: ui.comments.input } });
    const { result, error, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'comment',
      fixture: 'comment.xml',
      config: { target_post_urls: [URL_A], comment_content: 'first one\nsecond one', comment_order: 'sequential', job_index: 1 },
      inspect: rec.inspect,
    });
    expect(error).toBeUndefined();
    expect(rec.seen.typed.comment).toBe('second one');
    expect(rec.seen.clicks).toEqual({ open: 1, send: 1 });
    // the fixture's send button raises the "posted" alert, proving the tap reached it
    expect(rec.seen.alert).toBe('Comment posted');
    expect(result?.remark).toBe(`commented on ${URL_A}: "second one"`);
    expect(steps.map((s) => s.description).slice(-3)).toEqual([
      'type into comment box',
      'tap send comment button',
      'press back (skipped: Fake driver has no back)',
    ]);
  });

  it('fanned-out sequential comments cycle through the lines, one session per post', async () => {
    const parsed = parseScriptConfig('comment', { target_post_urls: [URL_A, URL_B], comment_content: 'one\ntwo', comment_order: 'sequential' });
    if (!parsed.ok) throw new Error(parsed.message);
    const typed: (string | null)[] = [];
    for (const config of fanOut('comment', parsed.config)) {
      const rec = recorder({ typed: { comment: ui.comments.input } });
      const { result } = await runOnFake({ appiumUrl: appium.url, script: 'comment', fixture: 'comment.xml', config, inspect: rec.inspect });
      expect(result?.remark).toContain((config.target_post_urls as string[])[0]);
      typed.push(rec.seen.typed.comment ?? null);
    }
    expect(typed).toEqual(['one', 'two']);
  });

  it('appends an emoji when insert_emoji is on', async () => {
    const rec = recorder({ typed: { comment: ui.comments.input } });
    await runOnFake({
      appiumUrl: appium.url,
      script: 'comment',
      fixture: 'comment.xml',
      config: { target_post_url: URL_A, comment_content: 'love it', insert_emoji: true },
      inspect: rec.inspect,
    });
    expect(rec.seen.typed.comment).toMatch(/^love it \S+$/u);
    expect(rec.seen.typed.comment).not.toBe('love it');
  });

  it('attaches comment_image_path through the gallery (file push is skipped on the fake driver and says so)', async () => {
    const image = path.join(tmp, 'reaction.jpg');
    fs.writeFileSync(image, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const rec = recorder({ clicks: { image: ui.comments.imageButton, pick: ui.gallery.firstItem, confirm: ui.gallery.confirmButton } });
    const { result, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'comment',
      fixture: 'comment.xml',
      config: { target_post_urls: [URL_A], comment_content: 'look', comment_image_path: image },
      inspect: rec.inspect,
    });
    expect(rec.seen.clicks).toEqual({ image: 1, pick: 1, confirm: 1 });
    expect(steps.map((s) => s.description)).toContain('push reaction.jpg to /sdcard/DCIM/taskhub/reaction.jpg (skipped: Fake driver cannot receive files)');
    expect(result?.remark).toMatch(/with image$/);
  });

  it('fails with invalid_config when comment_image_path does not exist on the worker', async () => {
    const { error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'comment',
      fixture: 'comment.xml',
      config: { target_post_urls: [URL_A], comment_content: 'x', comment_image_path: path.join(tmp, 'missing.png') },
    });
    expect(error?.kind).toBe('invalid_config');
    expect(error?.message).toContain('comment_image_path: file not found on the worker');
  });

  it('fails with element_not_found when the post has no comment button', async () => {
    const { error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'comment',
      fixture: 'follow.xml',
      config: { target_post_urls: [URL_A], comment_content: 'x' },
    });
    expect(error?.kind).toBe('element_not_found');
    expect(error?.message).toBe('element not found at step 2 (comment button)');
  });
});
