import Router from '@koa/router';
import type { AppDeps } from './deps';
import { renderSuccess } from './families';
import { authenticate } from './auth';
import type { RouteSpec } from './route';
import { parseInput } from './validate';

/**
 * Turns the route table into Koa routes. Every route runs the same steps —
 * authenticate, validate, handle, wrap in its family's envelope — so no handler
 * repeats them and none can forget one.
 */
export function mountRoutes(routes: RouteSpec[], deps: AppDeps): Router {
  const router = new Router();
  for (const spec of routes) {
    router[spec.method](spec.path, async (ctx) => {
      const caller = await authenticate(ctx, spec.access, deps);
      const body = spec.body ? parseInput(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body') : undefined;
      const query = spec.query ? parseInput(spec.query, ctx.query, 'query') : undefined;
      const params = spec.params ? parseInput(spec.params, ctx.params, 'params') : undefined;
      // authenticate() returns what the route's access guarantees (CallerOf<access>), or throws.
      const data = await spec.handler({ body, query, params, caller: caller as never, deps, ctx });
      if (!spec.raw) {
        ctx.status = 200;
        ctx.body = renderSuccess(spec.family, data);
      }
    });
  }
  return router;
}
