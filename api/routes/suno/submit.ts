import { z } from 'zod';
import { submitSunoTask } from '../../../services/suno/submit';
import { defineRoute } from '../../route';
import { idempotencyKey, sunoActionParams, sunoSubmitBody } from '../../schemas/suno';
import { parseInput } from '../../validate';

export default defineRoute({
  method: 'post',
  path: '/suno/submit/:action',
  family: 'suno',
  access: 'relay',
  tag: 'suno',
  summary: 'Submit a Suno music or lyrics task; data is the task id. Charged now, refunded if it fails. Optional Idempotency-Key header',
  params: sunoActionParams,
  body: sunoSubmitBody,
  response: z.string(),
  async handler({ params, body, caller, deps, ctx }) {
    const key = ctx.get('idempotency-key') ? parseInput(idempotencyKey, ctx.get('idempotency-key'), 'body') : undefined;
    const { task, created } = await submitSunoTask(deps, { user: caller.user, token: caller.token, action: params.action, body, idempotencyKey: key });
    ctx.set('x-taskhub-task-replayed', String(!created));
    return task.taskId;
  },
});
