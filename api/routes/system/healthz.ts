import { defineRoute } from '../../route';
import { checkHealth } from './health';

export default defineRoute({
  method: 'get',
  path: '/healthz',
  family: 'plain',
  access: 'public',
  tag: 'system',
  summary: 'Database and Temporal reachability: 200 when both answer, 503 otherwise',
  raw: true,
  async handler({ ctx, deps }) {
    const report = await checkHealth(deps);
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = report;
  },
});
