import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useAppium } from '../support/appium';
import { recorder, runOnFake, ui } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
let media: string;
beforeAll(async () => {
  appium = await useAppium();
  media = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-post-'));
  for (const name of ['clip.mp4', 'cats-1.mp4', 'dogs-1.mp4', 'one.jpg', 'two.png', 'three.webp']) fs.writeFileSync(path.join(media, name), `fake ${name}`);
});
afterAll(async () => {
  fs.rmSync(media, { recursive: true, force: true });
  await appium.release();
});

const compose = ui.compose;
const file = (name: string) => path.join(media, name);

describe('post script over WebDriver (fake driver)', () => {
  it('posts a video through the + button: picks it in the gallery, types the spun title and caption, taps Post', async () => {
    const rec = recorder({
      clicks: {
        create: ui.nav.createButton,
        upload: compose.uploadButton,
        item1: ui.gallery.item(1),
        item2: ui.gallery.item(2),
        next: ui.gallery.nextButton,
        post: compose.postButton,
      },
      typed: { title: compose.titleInput, caption: compose.captionInput },
    });
    const { result, error, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: { post_way: 'addButton', material_list: [file('clip.mp4')], captions: 'My {title|headline}##{great|awesome} clip####fyp', upload_wait_time: 1 },
      options: { random: () => 0 },
      inspect: rec.inspect,
    });
    expect(error).toBeUndefined();
    expect(rec.seen.clicks).toEqual({ create: 1, upload: 1, item1: 1, item2: 0, next: 2, post: 1 });
    expect(rec.seen.typed).toEqual({ title: 'My title', caption: 'great clip\n#fyp' });
    expect(steps.map((s) => s.description)).toContain('push clip.mp4 to /sdcard/DCIM/taskhub/clip.mp4 (skipped: Fake driver cannot receive files)');
    expect(result?.remark).toBe('posted video clip.mp4; caption "My title ## great clip\n#fyp"; upload confirmed');
  });

  it('posts image_count images in photo mode, selecting that many gallery items', async () => {
    const rec = recorder({ clicks: { photo: ui.gallery.photoModeTab, item1: ui.gallery.item(1), item2: ui.gallery.item(2), item3: ui.gallery.item(3) } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: {
        content_type: 1,
        image_count: 2,
        material_list: [file('clip.mp4'), file('one.jpg'), file('two.png'), file('three.webp')],
        post_way: 'addButton',
      },
      inspect: rec.inspect,
    });
    expect(rec.seen.clicks).toEqual({ photo: 1, item1: 1, item2: 1, item3: 0 });
    expect(result?.remark).toMatch(/^posted 2 images \(one\.jpg, two\.png\); no caption; upload confirmed$/);
  });

  it('with post_way "share" on a driver without intents, says so and falls back to the in-app upload', async () => {
    const rec = recorder({ clicks: { create: ui.nav.createButton } });
    const { result, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: { material_list: [file('clip.mp4')] },
      inspect: rec.inspect,
    });
    expect(steps.map((s) => s.description)).toContain('share clip.mp4 to com.zhiliaoapp.musically (skipped: Fake driver cannot fire intents)');
    expect(rec.seen.clicks.create).toBe(1);
    expect(result?.remark).toMatch(/^posted video clip\.mp4/);
  });

  it('uses a sound by name: searches it, opens it and taps "Use this sound"', async () => {
    const rec = recorder({
      clicks: { sounds: ui.search.soundsTab, sound: ui.search.firstSound, use: compose.useSoundButton, create: ui.nav.createButton },
      typed: { search: ui.search.input },
    });
    await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: { post_way: 'useSound', sound_name: 'original sound - alice', sound_wait_time: 0, material_list: [file('clip.mp4')] },
      inspect: rec.inspect,
    });
    expect(rec.seen.typed.search).toBe('original sound - alice');
    expect(rec.seen.clicks).toEqual({ sounds: 1, sound: 1, use: 1, create: 0 });
  });

  it('adds a custom sound, sets both volumes and attaches a product link', async () => {
    const rec = recorder({
      clicks: {
        sound: compose.soundButton,
        result: compose.soundFirstResult,
        volume: compose.volumeButton,
        done: compose.volumeDone,
        link: compose.addLinkButton,
        products: compose.productOption,
        product: compose.firstProduct,
        add: compose.addProduct,
      },
      typed: { keyword: compose.soundSearchInput, original: compose.originalVolume, added: compose.addedVolume },
    });
    const { steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: {
        post_way: 'addButton',
        material_list: [file('clip.mp4')],
        add_sound: 'custom',
        custom_sound_keyword: 'lofi beats',
        sound_wait_time: 0,
        origin_sound_volume: 20,
        add_sound_volume: 80,
        add_product_link: 1,
      },
      inspect: rec.inspect,
    });
    expect(rec.seen.typed).toEqual({ keyword: 'lofi beats', original: '20', added: '80' });
    expect(rec.seen.clicks).toEqual({ sound: 1, result: 1, volume: 1, done: 1, link: 1, products: 1, product: 1, add: 1 });
    expect(steps.map((s) => s.description)).toContain('let the sound load');
  });

  it('turns the sound off with add_sound 0 and leaves volumes alone at their defaults', async () => {
    const rec = recorder({ clicks: { off: compose.soundOff, volume: compose.volumeButton, recommended: compose.soundRecommended } });
    await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: { post_way: 'addButton', material_list: [file('clip.mp4')], add_sound: 0 },
      inspect: rec.inspect,
    });
    expect(rec.seen.clicks).toEqual({ off: 1, volume: 0, recommended: 0 });
  });

  it('picks from a local folder, keeping only files whose names carry a materials_tags tag', async () => {
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      fixture: 'post.xml',
      config: { material_source: 'localFolder', material_path: media, materials_tags: 'dogs', post_way: 'addButton', placement: 'story' },
    });
    expect(result?.remark).toMatch(/^posted video dogs-1\.mp4; .*; placement "story" applies to Instagram only$/);
  });

  it('fails with invalid_config when a material file is missing on the worker', async () => {
    const { error } = await runOnFake({ appiumUrl: appium.url, script: 'post', fixture: 'post.xml', config: { material_list: [file('nope.mp4')] } });
    expect(error?.kind).toBe('invalid_config');
    expect(error?.message).toBe(`material_list: file not found on the worker: ${file('nope.mp4')}`);
  });

  it('reports an upload that never confirms instead of failing', async () => {
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'post',
      // same screens as post.xml without the "Posted" banner
      fixture: 'post-no-confirmation.xml',
      config: { post_way: 'addButton', material_list: [file('clip.mp4')], upload_wait_time: 1 },
    });
    expect(result?.remark).toMatch(/upload not confirmed within 1s$/);
  });
});
