import { z } from 'zod';
import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';
import { taskIdParams } from '../../schemas/device-task';

export default defineRoute({
  method: 'post',
  path: '/api/v1/task/:id/stop',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Stop a pending or running task. It ends within seconds as failed, remark "stopped by request", its Appium session closed',
  params: taskIdParams,
  response: z.object({ task_id: z.number().int(), stop_requested: z.literal(true) }),
  async handler({ params, deps }) {
    await deviceTaskCommands(deps).stop(params.id);
    return { task_id: params.id, stop_requested: true as const };
  },
});
