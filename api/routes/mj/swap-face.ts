import { submitMjTask } from '../../../services/midjourney/submit';
import { defineRoute } from '../../route';
import { mjSubmitReplyView, mjSwapFaceBody, mjTaskParams } from '../../schemas/midjourney';
import { idempotencyKey } from '../../schemas/suno';
import { parseInput } from '../../validate';

export default defineRoute({
  method: 'post',
  path: '/mj/insight-face/swap',
  family: 'midjourney',
  access: 'relay',
  tag: 'midjourney',
  summary:
    "InsightFace face swap (midjourney-proxy plus): the face of sourceBase64 onto targetBase64. Priced as new-api's swap_face, held now and given back if it fails; " +
    'result is the task id, followed like any other task',
  params: mjTaskParams.pick({ mode: true }),
  body: mjSwapFaceBody,
  response: mjSubmitReplyView,
  async handler({ body, caller, deps, ctx }) {
    const key = ctx.get('idempotency-key') ? parseInput(idempotencyKey, ctx.get('idempotency-key'), 'body') : undefined;
    const { answer, created } = await submitMjTask(deps, { user: caller.user, token: caller.token, route: 'swap-face', body, idempotencyKey: key });
    ctx.set('x-taskhub-task-replayed', String(!created));
    return answer;
  },
});
