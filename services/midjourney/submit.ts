import type { IMjTask, IToken, IUser } from '../../db/entities';
import type { Config } from '../../lib/config';
import { quotaFor } from '../../lib/pricing';
import type { TaskWorkflows } from '../../temporal/task-workflows';
import { createThenStart } from '../generation/submit';
import type { Services } from '..';
import { checkNotifyHook } from './notify';
import { planSubmission, type MjSubmitBody, type MjSubmitRoute } from './submission';

export interface MjSubmitDeps {
  services: Pick<Services, 'midjourney'>;
  workflows: Pick<TaskWorkflows, 'midjourney'>;
  config: Pick<Config, 'modelPrices' | 'quotaPerUnit' | 'midjourney'>;
}

export interface MjSubmitRequest {
  user: IUser;
  token: IToken;
  route: MjSubmitRoute;
  body: MjSubmitBody;
  idempotencyKey?: string;
}

/** midjourney-proxy's submit reply: `result` is the task id when the job was taken (an upload's: its image URLs). */
export interface MjSubmitAnswer {
  code: number;
  description: string;
  result: string | string[] | null;
  properties: Record<string, unknown>;
}

/**
 * `POST /mj/submit/*`: checks the request, holds the action's price with the new row,
 * starts the task's workflow and waits (up to MJ_SUBMIT_WAIT_SECONDS) for the upstream's
 * answer, so the client gets midjourney-proxy's code as new-api gives it. A refusal has
 * already been given back when this returns.
 */
export async function submitMjTask(deps: MjSubmitDeps, input: MjSubmitRequest): Promise<{ answer: MjSubmitAnswer; created: boolean }> {
  const { config, services, workflows } = deps;
  const plan = await planSubmission(input.route, input.body, {
    userId: input.user.id,
    tasks: services.midjourney,
    base64MaxBytes: config.midjourney.base64MaxBytes,
  });
  // Off (new-api's default), a notifyHook is ignored; on, a hook we may not call is refused before anything is held.
  const hook = config.midjourney.notify.enabled && input.body.notifyHook?.trim() ? input.body.notifyHook : undefined;
  const notify = hook
    ? { url: await checkNotifyHook(hook, { allowedHosts: config.midjourney.notify.allowedHosts }), keyDigest: input.token.keyDigest }
    : undefined;
  const { task, created } = await createThenStart({
    create: () =>
      services.midjourney.create({
        userId: input.user.id,
        tokenId: input.token.id,
        action: plan.action,
        parentMjId: plan.parent?.mjId ?? null,
        channelId: plan.parent?.channelId ?? 0,
        prompt: plan.prompt,
        request: notify ? { ...plan.request, notify } : plan.request,
        quota: quotaFor(plan.model, config.modelPrices, config.quotaPerUnit),
        idempotencyKey: input.idempotencyKey,
      }),
    start: (t) => workflows.midjourney.start(t),
    abandon: (t, reason) => services.midjourney.abandon(t.mjId, reason),
  });
  const submission = await workflows.midjourney.awaitSubmission(task.mjId, config.midjourney.submitWaitSeconds * 1000);
  const answer = submission
    ? {
        code: submission.code,
        description: submission.description,
        result: submission.uploaded ?? (submission.accepted ? task.mjId : null),
        properties: submission.properties,
      }
    : answerFromRow((await services.midjourney.byMjId(task.mjId)) ?? task);
  return { answer, created };
}

/** No answer from the workflow in time (still trying channels) or it is already over: say what the row knows. */
function answerFromRow(task: IMjTask): MjSubmitAnswer {
  const uploaded = task.properties?.uploadedUrls;
  if (task.action === 'UPLOAD' && task.status === 'SUCCESS' && Array.isArray(uploaded))
    return { code: 1, description: task.description, result: uploaded as string[], properties: {} };
  if (task.upstreamTaskId) return { code: 1, description: 'Submit success', result: task.mjId, properties: {} };
  if (task.status === 'FAILURE') return { code: task.code || 9, description: task.failReason, result: null, properties: {} };
  return { code: 22, description: 'queued: no upstream channel has taken the job yet', result: task.mjId, properties: {} };
}
