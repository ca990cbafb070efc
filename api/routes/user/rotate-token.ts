import { z } from 'zod';
import { defineRoute } from '../../route';

export default defineRoute({
  method: 'get',
  path: '/api/user/token',
  family: 'newapi',
  access: 'user',
  tag: 'users',
  summary: 'Issue a new access token for the caller; the old one stops working',
  response: z.string(),
  async handler({ caller, deps }) {
    // new-api returns the bare token string as data; clients depend on that shape.
    return deps.services.users.rotateAccessToken(caller.user.id);
  },
});
