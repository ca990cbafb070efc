import { z } from 'zod';
import { defineRoute } from '../../route';
import { usernameBody } from '../../schemas/device';

export default defineRoute({
  method: 'delete',
  path: '/api/v1/account',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: 'Remove an account (refused while it has pending or running tasks)',
  body: usernameBody,
  response: z.object({ username: z.string() }),
  async handler({ body, deps }) {
    await deps.services.accounts.remove(body.username);
    return { username: body.username };
  },
});
