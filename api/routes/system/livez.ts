import { defineRoute } from '../../route';

export default defineRoute({
  method: 'get',
  path: '/livez',
  family: 'plain',
  access: 'public',
  tag: 'system',
  summary: 'The process is up (no I/O)',
  raw: true,
  async handler({ ctx }) {
    ctx.body = { status: 'ok' };
  },
});
