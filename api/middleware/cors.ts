import cors from '@koa/cors';
import type { Middleware } from 'koa';

/**
 * CORS for every route family, answered before routing and authentication so a
 * browser's preflight never meets a 401. With `*` (new-api's default) any origin may
 * call; with a list, only those, each echoed back with `Vary: Origin`.
 *
 * Credentials are never allowed: taskhub authenticates with headers (bearer tokens,
 * `mj-api-secret`), never cookies, and browsers refuse `Allow-Origin: *` together with
 * `Allow-Credentials` anyway, which is what new-api sends (docs/design-notes.md#cors).
 */
export function corsFor(origins: '*' | string[]): Middleware {
  const allowed = origins === '*' ? null : new Set(origins);
  return cors({
    origin: (ctx) => {
      if (!allowed) return '*';
      const origin = ctx.get('origin');
      return allowed.has(origin) ? origin : '';
    },
    credentials: false,
    allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
    // No allowHeaders: the preflight's requested headers are allowed, like new-api's "any
    // request header" (a literal `*` would not cover Authorization).
    exposeHeaders: ['x-request-id', 'x-taskhub-task-replayed'],
    maxAge: 43_200,
    keepHeadersOnError: true,
  });
}
