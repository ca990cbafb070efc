import type { Middleware } from 'koa';
import { Histogram, type Registry } from 'prom-client';

/** Request latency labelled by route template (never the raw URL, which would explode cardinality). */
export function httpMetrics(registry: Registry): Middleware {
  const duration = new Histogram({
    name: 'taskhub_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return async (ctx, next) => {
    const end = duration.startTimer();
    try {
      await next();
    } finally {
      end({ method: ctx.method, route: String(ctx._matchedRoute ?? 'unmatched'), status: String(ctx.status) });
    }
  };
}
