import { z } from 'zod';
import { dropNulls, normaliseUsername, text } from '../config/fields';
import { DeviceScriptError } from '../contract';
import { defineScript } from './define';

/**
 * TikMatrix reads login credentials from its account list; taskhub's account records hold
 * no passwords, so they travel in script_config. Email + password is tried first, else
 * username + password; the username defaults to the task's account.
 */
export const loginSchema = z.preprocess(
  dropNulls,
  z
    .object({
      email: text(320).default(''),
      username: text(100).default(''),
      password: z.string({ error: 'is required (taskhub stores no account passwords)' }).min(1, 'must not be empty').max(200),
    })
    .transform((value, ctx) => {
      const email = value.email.trim();
      if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        ctx.addIssue({ code: 'custom', path: ['email'], message: `"${email}" is not an email address` });
      }
      let username = '';
      if (value.username.trim() !== '') {
        const parsed = normaliseUsername(value.username);
        if (!parsed) ctx.addIssue({ code: 'custom', path: ['username'], message: `"${value.username.trim()}" is not a TikTok username` });
        username = parsed ?? '';
      }
      return { email, username, password: value.password };
    }),
);

export type LoginConfig = z.infer<typeof loginSchema>;

export const loginScript = defineScript<LoginConfig>({
  name: 'login',
  schema: loginSchema,
  async run(ctx, config) {
    const { session, ui } = ctx;
    const username = config.username || ctx.account?.username.replace(/^@/, '') || '';
    const identifier = config.email || username;
    if (!identifier)
      throw new DeviceScriptError('invalid_config', 'login needs an email or a username: set script_config.email/username or run it for an account');

    await session.tap(ui.nav.profileTab);
    if (await session.exists(ui.login.loginEntry)) {
      await session.tap(ui.login.loginEntry);
    } else {
      const current = (await session.exists(ui.profile.ownHandle)) ? normaliseUsername(await session.text(ui.profile.ownHandle)) : undefined;
      if (current && current === username) return { remark: `already logged in as @${current}` };
      // another account is active: add this one next to it, which opens the same login sheet
      await session.tap(ui.profile.accountSwitcher);
      await session.tap(ui.login.addAccount);
    }
    await session.tap(ui.login.usePhoneEmail);
    await session.tap(ui.login.emailUsernameTab);
    await session.type(ui.login.identifierInput, identifier);
    await session.type(ui.login.passwordInput, config.password);
    await session.tap(ui.login.submit);

    const outcome = await session.firstPresent([ui.login.loginError, ui.login.verification, ui.profile.ownHandle], 20_000);
    const via = config.email ? 'email' : 'username';
    if (outcome === 0) {
      const reason = await session.text(ui.login.loginError);
      throw new DeviceScriptError('invalid_config', `TikTok rejected the ${via} login for ${identifier}: ${reason || 'no reason shown'}`);
    }
    if (outcome === 1) return { remark: `login for ${identifier} submitted (${via}); TikTok asks for verification: finish it on the phone` };
    if (outcome === 2) {
      const handle = normaliseUsername(await session.text(ui.profile.ownHandle));
      return { remark: `logged in as ${handle ? `@${handle}` : identifier} (${via})` };
    }
    throw new DeviceScriptError(
      'element_not_found',
      `login for ${identifier}: no result screen after step ${session.stepCount} (profile, error or verification)`,
      {
        step: session.stepCount,
      },
    );
  },
});
