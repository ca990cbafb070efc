import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors';
import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';
import { batchDeleteBody } from '../../schemas/device-task';

export default defineRoute({
  method: 'delete',
  path: '/api/v1/task/batch',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Delete several tasks (unfinished ones are stopped first); reports which ids were deleted and which do not exist',
  body: batchDeleteBody,
  response: z.object({ deleted_ids: z.array(z.number().int()), not_found_ids: z.array(z.number().int()), deleted_count: z.number().int() }),
  async handler({ body, deps }) {
    const { deleted, notFound } = await deviceTaskCommands(deps).removeMany(body.task_ids);
    if (deleted.length === 0) throw new NotFoundError(`none of these tasks exist: ${notFound.join(', ')}`);
    return { deleted_ids: deleted, not_found_ids: notFound, deleted_count: deleted.length };
  },
});
