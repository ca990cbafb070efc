import { ChannelStatus } from '../../../db/entities';
import { AppError, NotFoundError, ValidationError } from '../../../lib/errors';
import { createMidjourneyClient } from '../../../services/upstream/midjourney-client';
import { UpstreamError } from '../../../services/upstream/http';
import { defineRoute } from '../../route';
import { mjSubmitReplyView, mjTaskParams } from '../../schemas/midjourney';

export default defineRoute({
  method: 'get',
  path: '/mj/task/:id/image-seed',
  family: 'midjourney',
  access: 'relay',
  tag: 'midjourney',
  summary:
    "The seed of one of the caller's finished images, asked live of the task's upstream (midjourney-proxy plus), as new-api does; result is the seed. Not charged",
  params: mjTaskParams,
  response: mjSubmitReplyView,
  raw: true,
  async handler({ params, caller, deps, ctx }) {
    const [task] = await deps.services.midjourney.findOwned(caller.user.id, [params.id]);
    if (!task) throw new NotFoundError('task not found');
    if (!task.upstreamTaskId || task.channelId === 0) throw new ValidationError(`task ${task.mjId} has not reached an upstream`);
    const channel = await deps.services.channels.get(task.channelId).catch(() => null);
    if (!channel || channel.status !== ChannelStatus.enabled) throw new ValidationError("the task's channel is disabled or gone");
    const client = createMidjourneyClient(deps.config.upstreamTimeoutSeconds * 1000);
    try {
      const { status, reply } = await client.imageSeed(channel, task.upstreamTaskId);
      // The upstream's answer as it gave it (new-api passes its status through too).
      ctx.status = status;
      ctx.body = { code: reply.code, description: reply.description, result: reply.result, properties: reply.properties };
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      throw new AppError('upstream', 502, `the upstream did not give the seed: ${err.message}`, { cause: err });
    }
  },
});
