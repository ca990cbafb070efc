import type { Context } from 'koa';
import type { Config } from '../lib/config';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * TikMatrix's local API has no authentication because its agent only listens on the
 * operator's own machine. taskhub listens on the network, so by default (`local`) a caller
 * without a token must be on this host; anyone else needs an admin access token. The TCP
 * peer is used, never X-Forwarded-For, which a remote caller could forge. `token` always
 * asks for one (e.g. behind a reverse proxy on the same host), `open` never does.
 */
export function localApiNeedsToken(ctx: Context, mode: Config['devices']['apiAccess']): boolean {
  if (mode === 'open') return false;
  if (mode === 'token') return true;
  return !LOOPBACK.test(ctx.req.socket.remoteAddress ?? '');
}
