import { z } from 'zod';
import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';
import { taskIdParams } from '../../schemas/device-task';

export default defineRoute({
  method: 'delete',
  path: '/api/v1/task/:id',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Delete a task; a pending or running one is stopped first (its Appium session closed, its phone freed)',
  params: taskIdParams,
  response: z.object({ task_id: z.number().int(), stopped: z.boolean() }),
  async handler({ params, deps }) {
    const { stopped } = await deviceTaskCommands(deps).remove(params.id);
    return { task_id: params.id, stopped };
  },
});
