import path from 'node:path';
import { z } from 'zod';
import { dropNulls, jobIndex, normaliseUsername, order, splitLines, text } from '../config/fields';
import { DeviceScriptError } from '../contract';
import { DEVICE_MEDIA_DIR } from '../selectors/tiktok';
import type { Locator } from '../session/types';
import { defineScript } from './define';
import { isImage, listFolder } from './media';
import { describeList, pick } from './shared';

/** TikTok's limits, checked up front so a long bio is a 40001 rather than a half-edited profile. */
const NICKNAME_MAX = 30;
const BIO_MAX = 80;

/** A literal `\n` inside one bio line is a line break within that bio. */
const bioText = (line: string) => line.replace(/\\n/g, '\n');

export const profileSchema = z.preprocess(
  dropNulls,
  z
    .object({
      profile_order: order(),
      nicknames: text().default(''),
      usernames: text().default(''),
      bios: text().default(''),
      link_url: text(2000).default(''),
      avatars_path: text(4096).default(''),
      job_index: jobIndex(),
    })
    .superRefine((value, ctx) => {
      const fields = [value.nicknames, value.usernames, value.bios, value.link_url, value.avatars_path];
      if (fields.every((f) => f.trim() === '')) {
        ctx.addIssue({ code: 'custom', path: [], message: 'set at least one of nicknames, usernames, bios, link_url, avatars_path' });
      }
      for (const nickname of splitLines(value.nicknames)) {
        if ([...nickname].length > NICKNAME_MAX)
          ctx.addIssue({ code: 'custom', path: ['nicknames'], message: `"${nickname}" is longer than ${NICKNAME_MAX} characters` });
      }
      for (const username of splitLines(value.usernames)) {
        if (!normaliseUsername(username)) ctx.addIssue({ code: 'custom', path: ['usernames'], message: `"${username}" is not a TikTok username` });
      }
      for (const bio of splitLines(value.bios)) {
        if ([...bioText(bio)].length > BIO_MAX)
          ctx.addIssue({ code: 'custom', path: ['bios'], message: `a bio is longer than ${BIO_MAX} characters: "${bio.slice(0, 20)}…"` });
      }
      const link = value.link_url.trim();
      if (link !== '' && !/^(https?:\/\/)?[^\s/]+\.[^\s/]+\S*$/i.test(link)) {
        ctx.addIssue({ code: 'custom', path: ['link_url'], message: `"${link}" is not a web address` });
      }
      if (value.avatars_path.trim() !== '' && !path.isAbsolute(value.avatars_path.trim())) {
        ctx.addIssue({ code: 'custom', path: ['avatars_path'], message: 'must be an absolute folder path' });
      }
    }),
);

export type ProfileConfig = z.infer<typeof profileSchema>;

export const profileScript = defineScript<ProfileConfig>({
  name: 'profile',
  schema: profileSchema,
  async run(ctx, config) {
    const { session, ui, random } = ctx;
    const choose = (lines: string) => pick(splitLines(lines), config.profile_order, config.job_index, random);
    const nickname = choose(config.nicknames);
    const chosenUsername = choose(config.usernames);
    const username = chosenUsername ? normaliseUsername(chosenUsername) : undefined;
    const bio = choose(config.bios);
    const link = config.link_url.trim();
    let avatar: string | undefined;
    if (config.avatars_path.trim() !== '') {
      avatar = pick(listFolder(ctx.uploadDir, config.avatars_path.trim(), 'avatars_path', isImage), config.profile_order, config.job_index, random);
      if (!avatar) throw new DeviceScriptError('invalid_config', `avatars_path: no images in ${config.avatars_path}`);
    }

    const changed: string[] = [];
    await session.tap(ui.nav.profileTab);
    await session.tap(ui.profile.editProfileButton);
    if (avatar) {
      await session.pushFile(avatar, `${DEVICE_MEDIA_DIR}/${path.basename(avatar)}`);
      await session.tap(ui.editProfile.changePhoto);
      await session.tap(ui.editProfile.pickFromGallery);
      await session.tap(ui.gallery.firstItem);
      await session.tap(ui.gallery.confirmButton);
      changed.push(`avatar ${path.basename(avatar)}`);
    }
    const edit = async (row: Locator, input: Locator, value: string, what: string) => {
      await session.tap(row);
      await session.type(input, value);
      await session.tap(ui.editProfile.save);
      changed.push(`${what} "${value}"`);
    };
    const form = ui.editProfile;
    if (nickname) await edit(form.nameRow, form.nameInput, nickname, 'nickname');
    if (username) await edit(form.usernameRow, form.usernameInput, username, 'username');
    if (bio) await edit(form.bioRow, form.bioInput, bioText(bio), 'bio');
    if (link) await edit(form.linkRow, form.linkInput, link, 'link');
    return { remark: `profile updated: ${describeList(changed)}` };
  },
});
