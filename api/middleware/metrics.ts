import type { Middleware } from 'koa';
import { Histogram, type Registry } from 'prom-client';

/** Request latency labelled by route template (never the raw URL, which would explode cardinality). */
export function httpMetrics(registry: Registry): Middleware {
  const name = 'taskhub_http_request_duration_seconds';
  // Several apps may share one registry (tests, embedded use): register the histogram once.
  const existing = registry.getSingleMetric(name) as Histogram<'method' | 'route' | 'status'> | undefined;
  const duration =
    existing ??
    new Histogram({
      name,
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
