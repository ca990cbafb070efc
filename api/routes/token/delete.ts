import { z } from 'zod';
import { defineRoute } from '../../route';
import { idParams } from '../../schemas/common';

export default defineRoute({
  method: 'delete',
  path: '/api/token/:id',
  family: 'newapi',
  access: 'user',
  tag: 'tokens',
  summary: 'Delete one of the caller’s keys; requests made with it are refused from now on',
  params: idParams,
  response: z.null(),
  async handler({ params, caller, deps }) {
    await deps.services.tokens.remove(caller.user.id, params.id);
    return null;
  },
});
