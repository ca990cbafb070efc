import { defineRoute } from '../../route';

export default defineRoute({
  method: 'get',
  path: '/metrics',
  family: 'plain',
  access: 'public',
  tag: 'system',
  summary: 'Prometheus metrics',
  raw: true,
  async handler({ ctx, deps }) {
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.metrics();
  },
});
