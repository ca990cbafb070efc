import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { serveDashboard } from './dashboard';
import type { AppDeps } from './deps';
import { familyForPath } from './families';
import { corsFor } from './middleware/cors';
import { errorHandler } from './middleware/error-handler';
import { httpMetrics } from './middleware/metrics';
import { requestContext } from './middleware/request-context';
import { mountRoutes } from './mount';
import { buildOpenApi } from './openapi';
import type { RouteSpec } from './route';
import { ROUTES } from './routes';

/** The Koa application, built from its dependencies. It does not listen: callers decide where. */
export function buildApp(deps: AppDeps, routes: RouteSpec[] = ROUTES): Koa {
  const app = new Koa({ proxy: true });
  const openapi = buildOpenApi(routes, process.env.npm_package_version ?? '0.1.0');
  const router = mountRoutes(routes, deps);

  app.on('error', (err, ctx) => {
    (ctx?.state?.log ?? deps.log).error({ event: 'http.error', err }, 'request failed');
  });

  app.use(requestContext(deps.log));
  // Before the error handler and the routes: error replies carry the CORS headers too, and
  // preflights are answered before any route authenticates.
  app.use(corsFor(deps.config.corsOrigins));
  app.use(httpMetrics(deps.metrics));
  app.use(errorHandler());
  app.use(async (ctx, next) => {
    ctx.state.openapi = openapi;
    await next();
  });
  // Midjourney submits carry base64 images (blend: up to five), so they get their own, larger limit.
  // DELETE too: TikMatrix's batch delete carries its ids in the body.
  const jsonBody = bodyParser({
    enableTypes: ['json'],
    jsonLimit: deps.config.bodyLimit,
    encoding: 'utf-8',
    parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  });
  const mjBody = bodyParser({ enableTypes: ['json'], jsonLimit: deps.config.midjourney.bodyLimit, encoding: 'utf-8' });
  app.use((ctx, next) => (familyForPath(ctx.path) === 'midjourney' ? mjBody(ctx, next) : jsonBody(ctx, next)));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  // Runs only for requests no route matched (the router passes those on), so the API's paths stay its own.
  app.use(serveDashboard(deps.config.webDir));
  return app;
}
