import { z } from 'zod';
import { defineRoute } from '../../route';
import { sunoFetchBody } from '../../schemas/suno';
import { taskView, toTaskView } from '../../schemas/task';

export default defineRoute({
  method: 'post',
  path: '/suno/fetch',
  family: 'suno',
  access: 'relay',
  tag: 'suno',
  summary: "The caller's tasks among ids, from taskhub's database (others' ids are simply absent)",
  body: sunoFetchBody,
  response: z.array(taskView),
  async handler({ body, caller, deps }) {
    const tasks = await deps.services.tasks.findOwned(caller.user.id, body.ids);
    return tasks.filter((t) => t.platform === 'suno').map((t) => toTaskView(t, { showChannel: true }));
  },
});
