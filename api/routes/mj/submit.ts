import { submitMjTask } from '../../../services/midjourney/submit';
import { defineRoute } from '../../route';
import { mjSubmitBody, mjSubmitParams, mjSubmitReplyView } from '../../schemas/midjourney';
import { idempotencyKey } from '../../schemas/suno';
import { parseInput } from '../../validate';

export default defineRoute({
  method: 'post',
  path: '/mj/submit/:action',
  family: 'midjourney',
  access: 'relay',
  tag: 'midjourney',
  summary:
    'Submit a Midjourney job (imagine, change, simple-change, describe, blend, action, modal, shorten, edits, video, upload-discord-images). ' +
    "Answers with the upstream code once it has one; result is the task id (an upload's: its image URLs). " +
    "Priced as new-api's mj_<action>, held now and given back if the upstream refuses or the job fails",
  params: mjSubmitParams,
  body: mjSubmitBody,
  response: mjSubmitReplyView,
  async handler({ params, body, caller, deps, ctx }) {
    const key = ctx.get('idempotency-key') ? parseInput(idempotencyKey, ctx.get('idempotency-key'), 'body') : undefined;
    const { answer, created } = await submitMjTask(deps, { user: caller.user, token: caller.token, route: params.action, body, idempotencyKey: key });
    ctx.set('x-taskhub-task-replayed', String(!created));
    return answer;
  },
});
