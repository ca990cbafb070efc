import { z } from 'zod';
import { dropNulls, normaliseUsername } from '../config/fields';
import type { MatchAccountResult, MatchedAccount } from '../contract';
import { defineScript } from './define';

/** No options, as in TikMatrix: the script reads what the phone shows. */
export const matchAccountSchema = z.preprocess(dropNulls, z.object({}));

export type MatchAccountConfig = z.infer<typeof matchAccountSchema>;

export const matchAccountScript = defineScript<MatchAccountConfig>({
  name: 'match_account',
  schema: matchAccountSchema,
  async run(ctx): Promise<MatchAccountResult> {
    const { session, ui } = ctx;
    await session.tap(ui.nav.profileTab);
    if (await session.exists(ui.login.loginEntry)) {
      return { remark: `no account is logged in on ${session.appPackage}`, accounts: [] };
    }
    const current = normaliseUsername(await session.text(ui.profile.ownHandle));
    await session.tap(ui.profile.accountSwitcher);
    const listed = (await session.texts(ui.profile.switcherAccount)).map(normaliseUsername);
    await session.tap(ui.profile.switcherClose);

    const accounts: MatchedAccount[] = [];
    for (const username of [current, ...listed]) {
      if (username && !accounts.some((a) => a.username === username)) {
        accounts.push({ username, current: username === current, package: session.appPackage });
      }
    }
    const names = accounts.map((a) => `@${a.username}${a.current ? ' (current)' : ''}`);
    return { remark: `found ${accounts.length} logged-in account${accounts.length === 1 ? '' : 's'}: ${names.join(', ')}`, accounts };
  },
});
