import type { Context } from 'koa';
import { Role } from '../db/entities';
import { ForbiddenError, UnauthorizedError } from '../lib/errors';
import { requireApiPlan } from '../services/license';
import type { AppDeps } from './deps';
import { localApiNeedsToken } from './local-access';
import type { Access, Caller, CallerOf } from './route';

const REQUIRED_ROLE = { user: Role.user, admin: Role.admin, root: Role.root } as const;

/** `Authorization: Bearer x` or a bare `Authorization: x`, as new-api accepts both. */
function bearer(ctx: Context): string | undefined {
  const header = ctx.get('authorization').trim();
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return (match ? match[1] : header).trim() || undefined;
}

/**
 * The relay key as new-api's TokenAuth finds it: the bearer token, or, when there is none
 * or it is the placeholder `midjourney-proxy` that midjourney-proxy clients send, the
 * `mj-api-secret` header (which may itself say `Bearer …`).
 */
function relayKey(ctx: Context): string | undefined {
  const fromAuthorization = bearer(ctx);
  if (fromAuthorization && fromAuthorization !== 'midjourney-proxy') return fromAuthorization;
  const secret = ctx.get('mj-api-secret').trim();
  const match = /^Bearer\s+(.+)$/i.exec(secret);
  return (match ? match[1] : secret).trim() || undefined;
}

/** Who is calling, as `access` demands; throws 401/403 (or the licence's refusal) otherwise. */
export async function authenticate<A extends Access>(ctx: Context, access: A, deps: AppDeps): Promise<CallerOf<A>> {
  return (await identify(ctx, access, deps)) as CallerOf<A>;
}

async function identify(ctx: Context, access: Access, deps: AppDeps): Promise<Caller> {
  if (access === 'public') return {};
  if (access === 'local' || access === 'licensed') {
    const caller = localApiNeedsToken(ctx, deps.config.devices.apiAccess) ? await identify(ctx, 'admin', deps) : {};
    if (access === 'licensed') requireApiPlan(deps.config);
    return caller;
  }
  if (access === 'relay') {
    const key = relayKey(ctx);
    if (!key) throw new UnauthorizedError('missing API key (Authorization: Bearer sk-…)');
    const { token, user } = await deps.services.tokens.authenticate(key.startsWith('sk-') ? key : `sk-${key}`);
    return { token, user };
  }
  const accessToken = bearer(ctx);
  if (!accessToken) throw new UnauthorizedError('missing access token (Authorization: Bearer <token>)');
  const user = await deps.services.users.authenticate(accessToken);
  if (user.role < REQUIRED_ROLE[access]) throw new ForbiddenError(`this route needs the ${access} role`);
  return { user };
}
