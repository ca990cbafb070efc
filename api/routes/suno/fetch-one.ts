import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors';
import { defineRoute } from '../../route';
import { taskView, toTaskView } from '../../schemas/task';

export default defineRoute({
  method: 'get',
  path: '/suno/fetch/:id',
  family: 'suno',
  access: 'relay',
  tag: 'suno',
  summary: "One of the caller's Suno tasks",
  params: z.object({ id: z.string().min(1).max(64) }),
  response: taskView,
  async handler({ params, caller, deps }) {
    const [task] = await deps.services.tasks.findOwned(caller.user.id, [params.id]);
    if (!task || task.platform !== 'suno') throw new NotFoundError('task not found');
    return toTaskView(task, { showChannel: true });
  },
});
