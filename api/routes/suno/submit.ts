import { z } from 'zod';
import { ValidationError } from '../../../lib/errors';
import { quotaFor } from '../../../lib/pricing';
import { startSunoWorkflow } from '../../../activities/suno-start';
import { sunoStartConfig } from '../../../activities';
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
    if (params.action === 'lyrics' && !body.prompt)
      throw new ValidationError('invalid body', { details: [{ field: 'prompt', message: 'lyrics need a prompt' }] });
    if (params.action === 'music' && !body.prompt && !body.gpt_description_prompt && !body.continue_clip_id) {
      throw new ValidationError('invalid body', { details: [{ field: 'prompt', message: 'music needs a prompt or a gpt_description_prompt' }] });
    }
    const key = ctx.get('idempotency-key') ? parseInput(idempotencyKey, ctx.get('idempotency-key'), 'body') : undefined;
    const model = `suno_${params.action}`;
    const { config, services } = deps;
    const { task, created } = await services.tasks.create({
      platform: 'suno',
      action: params.action.toUpperCase(),
      userId: caller.user!.id,
      tokenId: caller.token!.id,
      quota: quotaFor(model, config.modelPrices, config.quotaPerUnit),
      properties: { input: body, model },
      idempotencyKey: key,
    });
    try {
      // Also on a replayed key: the first request may have died before starting the workflow.
      await startSunoWorkflow(deps.temporal.client, sunoStartConfig(config), task.taskId, task);
    } catch (err) {
      if (created) await services.tasks.abandon(task.taskId, 'the task could not be started: Temporal is unavailable');
      throw err;
    }
    ctx.set('x-taskhub-task-replayed', String(!created));
    return task.taskId;
  },
});
