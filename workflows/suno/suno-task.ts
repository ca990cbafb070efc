import { allHandlersFinished, CancellationScope, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { SunoActivities } from '../../activities/suno';
import { TaskChannelId, TaskStatus } from '../search-attributes';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';
import { bookkeepingOptions, checkOptions, submitOptions } from '../activity-options';
import { statusQuery, type GenerationTaskState } from '../generation/definitions';
import { describeFailure, followUpstream, type Inbox } from '../generation/follow-upstream';
import { sunoUpstreamUpdate, type SunoTaskInput } from './definitions';

const { submitSunoTask } = proxyActivities<SunoActivities>(submitOptions(['UpstreamRejected', 'TaskNotFound', 'TaskClosed']));
const { checkSunoTask } = proxyActivities<SunoActivities>(checkOptions);
const { recordSunoSnapshot, failSunoTask } = proxyActivities<SunoActivities>(bookkeepingOptions);

/**
 * One Suno generation, from submission to a terminal state. The caller has
 * already been charged (in the same transaction that created the task); this
 * workflow submits it upstream, follows it until it succeeds or fails, and on
 * any failure — rejected, lost, timed out — refunds the charge exactly once.
 * A long or chatty task continues as new, carrying `resume`, so no run's
 * history grows past its budget.
 */
export async function sunoTask(input: SunoTaskInput): Promise<GenerationTaskState> {
  const { resume } = input;
  const state: GenerationTaskState = resume?.state ?? {
    status: 'NOT_START',
    progress: '0%',
    failReason: '',
    channelId: 0,
    upstreamTaskId: null,
    refunded: false,
  };
  const deadline = resume?.deadline ?? Date.now() + input.timeoutMinutes * 60_000;
  let seq = resume?.seq ?? 0;
  const inbox: Inbox<SunoUpstreamTask> = { latest: resume?.latest };

  setHandler(statusQuery, () => state);
  setHandler(sunoUpstreamUpdate, (snapshot) => {
    inbox.latest = snapshot;
  });

  const fail = async (reason: string): Promise<GenerationTaskState> => {
    const outcome = await CancellationScope.nonCancellable(() => failSunoTask({ taskId: input.taskId, seq: ++seq, reason }));
    Object.assign(state, { status: 'FAILURE', progress: '100%', failReason: reason, refunded: outcome.refunded });
    upsertSearchAttributes([{ key: TaskStatus, value: 'FAILURE' }]);
    return state;
  };
  const finish = async (final: Promise<GenerationTaskState> | GenerationTaskState): Promise<GenerationTaskState> => {
    const result = await final;
    await condition(allHandlersFinished);
    return result;
  };

  // 1. Hand the task to an upstream channel (a continued run has done so already).
  if (!resume) {
    try {
      const submitted = await submitSunoTask({ taskId: input.taskId, seq: ++seq });
      Object.assign(state, { status: 'SUBMITTED', progress: '10%', channelId: submitted.channelId, upstreamTaskId: submitted.upstreamTaskId });
      upsertSearchAttributes([
        { key: TaskStatus, value: 'SUBMITTED' },
        { key: TaskChannelId, value: submitted.channelId },
      ]);
    } catch (err) {
      return finish(fail(`submission failed: ${describeFailure(err)}`));
    }
  }

  // 2. Follow it until it ends; the deadline fails it if the upstream never says.
  const outcome = await followUpstream({
    inbox,
    state,
    deadline,
    times: input,
    fallbackMs: resume?.fallbackMs,
    check: () => checkSunoTask({ taskId: input.taskId, freshSeconds: input.fallbackPollSeconds }),
    record: (snapshot) => recordSunoSnapshot({ taskId: input.taskId, seq: ++seq, snapshot }),
  });
  if (outcome.kind === 'continue') {
    await condition(allHandlersFinished);
    // Taken after the handlers finished, so news that arrived meanwhile travels too.
    return continueAsNew<typeof sunoTask>({ ...input, resume: { state, seq, deadline, fallbackMs: outcome.fallbackMs, latest: inbox.latest } });
  }
  return finish(outcome.failure === null ? state : fail(outcome.failure));
}
