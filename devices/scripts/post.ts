import path from 'node:path';
import { z } from 'zod';
import { checkSpintax, dropNulls, flag, int, percent, text } from '../config/fields';
import { DeviceScriptError } from '../contract';
import { DEVICE_MEDIA_DIR } from '../selectors/tiktok';
import { defineScript, type ScriptContext } from './define';
import { isImage, isVideo, listFolder, mimeTypeOf, resolveLocalFile } from './media';
import { spin } from './shared';

const numericChoice = <T extends number>(...values: T[]) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z.union(values.map((v) => z.literal(v)) as [z.ZodLiteral<T>, ...z.ZodLiteral<T>[]]),
  );

export const postSchema = z.preprocess(
  dropNulls,
  z
    .object({
      content_type: numericChoice(0, 1).default(0),
      image_count: int(1, 35).default(1),
      captions: text(5000).default(''),
      post_way: z.enum(['share', 'addButton', 'useSound']).default('share'),
      material_source: z.enum(['materialLibrary', 'localFolder']).default('materialLibrary'),
      material_path: text(4096).default(''),
      material_list: z.array(z.string().trim().min(1, 'must not be empty')).max(100).default([]),
      materials_tags: text(1000).default(''),
      upload_wait_time: int(0, 3600).default(30),
      sound_wait_time: int(0, 600).default(10),
      // "string/integer" in TikMatrix's docs; normalised to the string form
      add_sound: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(['-1', '0', '1', 'custom'])).default('-1'),
      sound_name: text(1000).default(''),
      custom_sound_keyword: text(200).default(''),
      origin_sound_volume: percent().default(50),
      add_sound_volume: percent().default(50),
      add_product_link: flag()
        .transform((v) => (v ? 1 : 0))
        .default(0),
      // Instagram only in TikMatrix; accepted for wire compatibility, no effect on TikTok
      placement: z.enum(['reel', 'story']).default('reel'),
    })
    .superRefine((value, ctx) => {
      const spintax = checkSpintax(value.captions);
      if (!spintax.ok) ctx.addIssue({ code: 'custom', path: ['captions'], message: `spintax ${spintax.reason}` });
      if (value.material_list.length === 0) {
        if (value.material_source === 'materialLibrary') {
          ctx.addIssue({
            code: 'custom',
            path: ['material_list'],
            message: 'is required: give file paths, or material_source "localFolder" with material_path (there is no material library)',
          });
        } else if (value.material_path.trim() === '') {
          ctx.addIssue({ code: 'custom', path: ['material_path'], message: 'is required when material_source is "localFolder"' });
        }
      } else {
        const wanted = value.content_type === 0 ? isVideo : isImage;
        if (!value.material_list.some(wanted)) {
          ctx.addIssue({
            code: 'custom',
            path: ['material_list'],
            message: value.content_type === 0 ? 'has no video file (.mp4, .mov, …) for content_type 0' : 'has no image file (.jpg, .png, …) for content_type 1',
          });
        }
      }
      if (value.post_way === 'useSound' && value.sound_name.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['sound_name'], message: 'is required when post_way is "useSound"' });
      }
      if (value.add_sound === 'custom' && value.custom_sound_keyword.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['custom_sound_keyword'], message: 'is required when add_sound is "custom"' });
      }
    }),
);

export type PostConfig = z.infer<typeof postSchema>;

export const postScript = defineScript<PostConfig>({
  name: 'post',
  schema: postSchema,
  async run(ctx, config) {
    const { session, ui } = ctx;
    const files = chooseMaterials(ctx, config);
    const devicePaths: string[] = [];
    for (const file of files) {
      const devicePath = `${DEVICE_MEDIA_DIR}/${path.basename(file)}`;
      await session.pushFile(file, devicePath);
      devicePaths.push(devicePath);
    }

    await openComposer(ctx, config, devicePaths, mimeTypeOf(files[0]!));
    await chooseSound(ctx, config);
    await session.tap(ui.gallery.nextButton);

    const { title, description } = splitCaption(spin(config.captions, ctx.random));
    // only photo posts have a title field; elsewhere the title leads the description
    const hasTitleField = title !== '' && (await session.exists(ui.compose.titleInput));
    if (hasTitleField) await session.type(ui.compose.titleInput, title);
    const caption = hasTitleField ? description : [title, description].filter(Boolean).join('\n');
    if (caption) await session.type(ui.compose.captionInput, caption);
    if (config.add_product_link === 1) {
      await session.tap(ui.compose.addLinkButton);
      await session.tap(ui.compose.productOption);
      await session.tap(ui.compose.firstProduct);
      await session.tap(ui.compose.addProduct);
    }
    await session.tap(ui.compose.postButton);
    const confirmed = await session.exists(ui.compose.uploadDone, config.upload_wait_time * 1000);

    const what = config.content_type === 0 ? `video ${path.basename(files[0]!)}` : `${files.length} images (${files.map((f) => path.basename(f)).join(', ')})`;
    const notes = [
      title || description ? `caption "${[title, description].filter(Boolean).join(' ## ')}"` : 'no caption',
      confirmed ? 'upload confirmed' : `upload not confirmed within ${config.upload_wait_time}s`,
    ];
    if (config.placement === 'story') notes.push('placement "story" applies to Instagram only');
    return { remark: `posted ${what}; ${notes.join('; ')}` };
  },
});

function chooseMaterials(ctx: ScriptContext, config: PostConfig): string[] {
  const wanted = config.content_type === 0 ? isVideo : isImage;
  const count = config.content_type === 0 ? 1 : config.image_count;
  if (config.material_list.length > 0) {
    return config.material_list
      .filter(wanted)
      .slice(0, count)
      .map((f) => resolveLocalFile(ctx.uploadDir, f, 'material_list'));
  }
  const tags = config.materials_tags
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  // a folder has no tag database, so tags match file names
  const candidates = listFolder(ctx.uploadDir, config.material_path, 'material_path', wanted).filter(
    (f) => tags.length === 0 || tags.some((t) => path.basename(f).toLowerCase().includes(t)),
  );
  if (candidates.length === 0) {
    throw new DeviceScriptError(
      'invalid_config',
      `material_path: no ${config.content_type === 0 ? 'video' : 'image'} files${tags.length ? ` tagged ${tags.join(',')}` : ''} in ${config.material_path}`,
    );
  }
  const shuffled = [...candidates];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(ctx.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, count);
}

async function openComposer(ctx: ScriptContext, config: PostConfig, devicePaths: string[], mimeType: string): Promise<void> {
  const { session, ui } = ctx;
  if (config.post_way === 'share' && (await session.shareFiles(devicePaths, mimeType))) return;
  if (config.post_way === 'useSound') {
    const opened = /^https?:\/\//i.test(config.sound_name) && (await session.openUrl(config.sound_name, 'sound page'));
    if (!opened) {
      await session.tap(ui.nav.searchButton);
      await session.type(ui.search.input, config.sound_name);
      await session.tap(ui.search.submit);
      await session.tap(ui.search.soundsTab);
      await session.tap(ui.search.firstSound);
    }
    await session.tap(ui.compose.useSoundButton);
  } else {
    // addButton, and share when the driver cannot fire a share intent
    await session.tap(ui.nav.createButton);
  }
  await session.tap(ui.compose.uploadButton);
  if (config.content_type === 1) await session.tap(ui.gallery.photoModeTab);
  // pushed files are the newest in the gallery, so they are its first items
  for (let n = 1; n <= devicePaths.length; n++) await session.tap(ui.gallery.item(n));
  await session.tap(ui.gallery.nextButton);
}

async function chooseSound(ctx: ScriptContext, config: PostConfig): Promise<void> {
  const { session, ui } = ctx;
  const addsSound = config.add_sound === '1' || config.add_sound === 'custom';
  if (config.add_sound === '0') {
    await session.tap(ui.compose.soundButton);
    await session.tap(ui.compose.soundOff);
  } else if (addsSound) {
    await session.tap(ui.compose.soundButton);
    if (config.add_sound === 'custom') {
      await session.type(ui.compose.soundSearchInput, config.custom_sound_keyword);
      await session.tap(ui.compose.soundFirstResult);
    } else {
      await session.tap(ui.compose.soundRecommended);
    }
  }
  if (addsSound || config.post_way === 'useSound') await session.pause(config.sound_wait_time * 1000, 'let the sound load');
  if (config.origin_sound_volume !== 50 || config.add_sound_volume !== 50) {
    await session.tap(ui.compose.volumeButton);
    await session.type(ui.compose.originalVolume, String(config.origin_sound_volume));
    await session.type(ui.compose.addedVolume, String(config.add_sound_volume));
    await session.tap(ui.compose.volumeDone);
  }
}

/** TikMatrix caption syntax: `###` is a line break, the first `##` separates title from description. */
export function splitCaption(caption: string): { title: string; description: string } {
  const withBreaks = caption.replace(/###/g, '\n');
  const at = withBreaks.indexOf('##');
  if (at < 0) return { title: '', description: withBreaks.trim() };
  return { title: withBreaks.slice(0, at).trim(), description: withBreaks.slice(at + 2).trim() };
}
