import { defineRoute } from '../../route';

export default defineRoute({
  method: 'get',
  path: '/openapi.json',
  family: 'plain',
  access: 'public',
  tag: 'system',
  summary: 'This API as an OpenAPI 3.1 document, generated from the same schemas that validate requests',
  raw: true,
  async handler({ ctx }) {
    ctx.body = ctx.state.openapi;
  },
});
