import path from 'node:path';
import { send } from '@koa/send';
import type { Middleware } from 'koa';
import { NotFoundError } from '../lib/errors';
import { familyForPath } from './families';

/**
 * The dashboard's page allows requests to this origin only: scripts, styles, fonts and API
 * calls all come from taskhub itself. Styles may be inline because the component library sets
 * CSS variables through style attributes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Serves the built dashboard (WEB_DIR) for GET/HEAD requests no API route answered. A path with
 * a file extension (or a dot segment) is a file or a 404; any other path is one of the single-page app's own
 * routes and gets index.html. API families (/api, /suno, /mj…) never fall through to it, so
 * their unknown paths keep their JSON 404s. @koa/send resolves paths inside the root and
 * refuses `..`, dot files and undecodable names.
 */
export function serveDashboard(webDir: string): Middleware {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || familyForPath(ctx.path) !== 'plain') return next();
    // A dot segment (`/.source-hash`, `/.env`) is a file request too, which @koa/send refuses.
    const isFile = path.posix.extname(ctx.path) !== '' || ctx.path.includes('/.');
    try {
      await send(ctx, isFile ? ctx.path : '/index.html', {
        root: webDir,
        brotli: true,
        gzip: true,
        // Vite names every file under assets/ by its content hash, so those never change.
        setHeaders: (res, file) => {
          if (file.startsWith(path.join(webDir, 'assets') + path.sep)) {
            res.setHeader('cache-control', `public, max-age=${YEAR_MS / 1000}, immutable`);
          } else {
            res.setHeader('cache-control', 'no-cache');
          }
          if (file.endsWith('.html')) res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
          res.setHeader('x-content-type-options', 'nosniff');
        },
      });
    } catch (err) {
      const status = (err as { status?: number }).status;
      // 400/403 are @koa/send's answers to undecodable or escaping paths: to a caller, nothing is there.
      if (status === 404 || status === 403 || status === 400) {
        throw new NotFoundError(isFile ? `no file ${ctx.path}` : 'the dashboard is not built: run `npm start` or `npm run build`');
      }
      throw err;
    }
  };
}
