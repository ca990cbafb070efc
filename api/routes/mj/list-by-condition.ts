import { z } from 'zod';
import { defineRoute } from '../../route';
import { mjListByConditionBody, mjTaskView, toMjTaskView } from '../../schemas/midjourney';
import { mjTaskParams } from '../../schemas/midjourney';

export default defineRoute({
  method: 'post',
  path: '/mj/task/list-by-condition',
  family: 'midjourney',
  access: 'relay',
  tag: 'midjourney',
  summary: "The caller's tasks among `ids`, in request order; unknown and other users' ids are left out",
  params: mjTaskParams.pick({ mode: true }),
  body: mjListByConditionBody,
  response: z.array(mjTaskView),
  async handler({ body, caller, deps }) {
    const tasks = await deps.services.midjourney.findOwned(caller.user.id, body.ids);
    const policy = { forward: deps.config.midjourney.forwardUrls, serverAddress: deps.config.serverAddress };
    return tasks.map((t) => toMjTaskView(t, policy));
  },
});
