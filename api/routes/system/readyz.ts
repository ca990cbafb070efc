import { defineRoute } from '../../route';
import { checkHealth } from './health';

export default defineRoute({
  method: 'get',
  path: '/readyz',
  family: 'plain',
  access: 'public',
  tag: 'system',
  summary: 'Whether to send traffic here: healthy and not shutting down',
  raw: true,
  async handler({ ctx, deps }) {
    if (deps.lifecycle.shuttingDown) {
      ctx.status = 503;
      ctx.body = { status: 'shutting_down' };
      return;
    }
    const report = await checkHealth(deps);
    ctx.status = report.status === 'ok' ? 200 : 503;
    ctx.body = report;
  },
});
