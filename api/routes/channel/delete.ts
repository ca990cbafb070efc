import { z } from 'zod';
import { defineRoute } from '../../route';
import { idParams } from '../../schemas/common';

export default defineRoute({
  method: 'delete',
  path: '/api/channel/:id',
  family: 'newapi',
  access: 'admin',
  tag: 'channels',
  summary: 'Remove a channel',
  params: idParams,
  response: z.null(),
  async handler({ params, deps }) {
    await deps.services.channels.remove(params.id);
    return null;
  },
});
