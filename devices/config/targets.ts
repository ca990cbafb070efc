import { z } from 'zod';
import { dropNulls, normalisePostUrl, normaliseUsername, splitList } from './fields';

/**
 * follow/unfollow targets: `target_users[]` wins over `target_user` (one string, names
 * separated by newlines or commas); one of the two must name at least one user. Output is
 * always `target_users` with bare usernames, deduplicated, in the caller's order.
 */
export const targetUsersShape = {
  target_users: z.array(z.string()).optional(),
  target_user: z.string().optional(),
};

export function resolveTargetUsers(value: { target_users?: string[]; target_user?: string }, ctx: z.RefinementCtx): string[] | undefined {
  const fromArray = value.target_users !== undefined && value.target_users.some((u) => u.trim() !== '');
  const field = fromArray ? 'target_users' : 'target_user';
  const raw = fromArray ? value.target_users!.map((u) => u.trim()).filter((u) => u !== '') : splitList(value.target_user ?? '');
  if (raw.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['target_users'], message: 'name at least one user in target_users (array) or target_user (text)' });
    return undefined;
  }
  const users: string[] = [];
  for (const [i, entry] of raw.entries()) {
    const name = normaliseUsername(entry);
    if (!name) {
      ctx.addIssue({ code: 'custom', path: fromArray ? [field, i] : [field], message: `"${entry}" is not a TikTok username` });
      continue;
    }
    if (!users.includes(name)) users.push(name);
  }
  return users;
}

/** comment targets: `target_post_urls[]` wins over `target_post_url` (one or more URLs, newline/comma/space separated). */
export const targetPostsShape = {
  target_post_urls: z.array(z.string()).optional(),
  target_post_url: z.string().optional(),
};

export function resolveTargetPosts(value: { target_post_urls?: string[]; target_post_url?: string }, ctx: z.RefinementCtx): string[] | undefined {
  const fromArray = value.target_post_urls !== undefined && value.target_post_urls.some((u) => u.trim() !== '');
  const field = fromArray ? 'target_post_urls' : 'target_post_url';
  const raw = fromArray
    ? value.target_post_urls!.map((u) => u.trim()).filter((u) => u !== '')
    : (value.target_post_url ?? '').split(/[\s,]+/).filter((u) => u !== '');
  if (raw.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['target_post_urls'], message: 'give at least one post URL in target_post_urls (array) or target_post_url (text)' });
    return undefined;
  }
  const urls: string[] = [];
  for (const [i, entry] of raw.entries()) {
    const checked = normalisePostUrl(entry);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', path: fromArray ? [field, i] : [field], message: checked.reason });
      continue;
    }
    if (!urls.includes(checked.url)) urls.push(checked.url);
  }
  return urls;
}

/** follow and unfollow take the same config. */
export const followTargetsSchema = z.preprocess(
  dropNulls,
  z.object({ ...targetUsersShape, access_method: z.enum(['direct', 'search']).default('direct') }).transform((value, ctx) => {
    const target_users = resolveTargetUsers(value, ctx);
    if (!target_users) return z.NEVER;
    return { target_users, access_method: value.access_method };
  }),
);
export type FollowTargetsConfig = z.infer<typeof followTargetsSchema>;

/** follow/unfollow fan out as TikMatrix does: one task per target user, each with just that user. */
export const onePerTargetUser = <C extends { target_users: string[] }>(config: C): C[] =>
  config.target_users.map((user) => ({ ...config, target_users: [user] }));
