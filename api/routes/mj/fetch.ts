import { NotFoundError } from '../../../lib/errors';
import { defineRoute } from '../../route';
import { mjTaskParams, mjTaskView, toMjTaskView } from '../../schemas/midjourney';

export default defineRoute({
  method: 'get',
  path: '/mj/task/:id/fetch',
  family: 'midjourney',
  access: 'relay',
  tag: 'midjourney',
  summary: "One of the caller's Midjourney tasks, in midjourney-proxy's task JSON (from taskhub's database, not the upstream)",
  params: mjTaskParams,
  response: mjTaskView,
  async handler({ params, caller, deps }) {
    const [task] = await deps.services.midjourney.findOwned(caller.user.id, [params.id]);
    if (!task) throw new NotFoundError('task not found');
    return toMjTaskView(task, { forward: deps.config.midjourney.forwardUrls, serverAddress: deps.config.serverAddress });
  },
});
