import type { IToken, IUser } from '../../db/entities';
import type { Config } from '../../lib/config';
import { ValidationError } from '../../lib/errors';
import { quotaFor } from '../../lib/pricing';
import type { TaskWorkflows } from '../../temporal/task-workflows';
import { createThenStart } from '../generation/submit';
import type { Services } from '..';

export type SunoAction = 'music' | 'lyrics';

export interface SunoSubmitDeps {
  services: Pick<Services, 'tasks'>;
  workflows: Pick<TaskWorkflows, 'suno'>;
  config: Pick<Config, 'modelPrices' | 'quotaPerUnit'>;
}

export interface SunoSubmission {
  user: IUser;
  token: IToken;
  action: SunoAction;
  /** new-api's request body, kept as the task's input and sent upstream as it is. */
  body: { prompt?: string; gpt_description_prompt?: string; continue_clip_id?: string } & Record<string, unknown>;
  idempotencyKey?: string;
}

/** `POST /suno/submit/:action`: the task charged at new-api's price and its workflow started; `created` false for a replayed key. */
export async function submitSunoTask(deps: SunoSubmitDeps, input: SunoSubmission) {
  const { body, action } = input;
  if (action === 'lyrics' && !body.prompt) throw new ValidationError('invalid body', { details: [{ field: 'prompt', message: 'lyrics need a prompt' }] });
  if (action === 'music' && !body.prompt && !body.gpt_description_prompt && !body.continue_clip_id) {
    throw new ValidationError('invalid body', { details: [{ field: 'prompt', message: 'music needs a prompt or a gpt_description_prompt' }] });
  }
  const model = `suno_${action}`;
  return createThenStart({
    create: () =>
      deps.services.tasks.create({
        platform: 'suno',
        action: action.toUpperCase(),
        userId: input.user.id,
        tokenId: input.token.id,
        quota: quotaFor(model, deps.config.modelPrices, deps.config.quotaPerUnit),
        properties: { input: body, model },
        idempotencyKey: input.idempotencyKey,
      }),
    start: (task) => deps.workflows.suno.start(task),
    abandon: (task, reason) => deps.services.tasks.abandon(task.taskId, reason),
  });
}
