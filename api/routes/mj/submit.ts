import { mjStartConfig } from '../../../activities';
import { awaitSubmission, startMjWorkflow } from '../../../activities/midjourney-start';
import type { IMjTask } from '../../../db/entities';
import { quotaFor } from '../../../lib/pricing';
import { planSubmission } from '../../../services/midjourney/submission';
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
    'Submit a Midjourney job (imagine, change, simple-change, describe, blend, action, modal, shorten). Answers with the upstream code once it has one; result is the task id. The price is held now and given back if the upstream refuses or the job fails',
  params: mjSubmitParams,
  body: mjSubmitBody,
  response: mjSubmitReplyView,
  async handler({ params, body, caller, deps, ctx }) {
    const { config, services } = deps;
    const key = ctx.get('idempotency-key') ? parseInput(idempotencyKey, ctx.get('idempotency-key'), 'body') : undefined;
    const plan = await planSubmission(params.action, body, {
      userId: caller.user!.id,
      tasks: services.midjourney,
      base64MaxBytes: config.midjourney.base64MaxBytes,
    });
    const { task, created } = await services.midjourney.create({
      userId: caller.user!.id,
      tokenId: caller.token!.id,
      action: plan.action,
      parentMjId: plan.parent?.mjId ?? null,
      channelId: plan.parent?.channelId ?? 0,
      prompt: plan.prompt,
      request: plan.request,
      quota: quotaFor(plan.model, config.modelPrices, config.quotaPerUnit),
      idempotencyKey: key,
    });
    try {
      await startMjWorkflow(deps.temporal.client, mjStartConfig(config), task);
    } catch (err) {
      if (created) await services.midjourney.abandon(task.mjId, 'the task could not be started: Temporal is unavailable');
      throw err;
    }
    ctx.set('x-taskhub-task-replayed', String(!created));
    const submission = await awaitSubmission(deps.temporal.client, task.mjId, config.midjourney.submitWaitSeconds * 1000);
    if (submission) {
      return { code: submission.code, description: submission.description, result: submission.accepted ? task.mjId : null, properties: submission.properties };
    }
    return replyFromRow((await services.midjourney.byMjId(task.mjId)) ?? task);
  },
});

/** No answer from the workflow in time (still trying channels) or it is already over: say what the row knows. */
function replyFromRow(task: IMjTask) {
  if (task.upstreamTaskId) return { code: 1, description: 'Submit success', result: task.mjId, properties: {} };
  if (task.status === 'FAILURE') return { code: task.code || 9, description: task.failReason, result: null, properties: {} };
  return { code: 22, description: 'queued: no upstream channel has taken the job yet', result: task.mjId, properties: {} };
}
