import { allHandlersFinished, CancellationScope, condition, continueAsNew, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { MidjourneyActivities } from '../../activities/midjourney';
import type { MjUpstreamTask } from '../../services/upstream/midjourney-client';
import { TaskChannelId, TaskStatus } from '../search-attributes';
import { bookkeepingOptions, checkOptions, submitOptions } from '../activity-options';
import { statusQuery } from '../generation/definitions';
import { describeFailure, followUpstream, type Inbox } from '../generation/follow-upstream';
import { mjUpstreamUpdate, submissionUpdate, type MjSubmission, type MjTaskInput, type MjTaskState } from './definitions';

const { submitMjTask } = proxyActivities<MidjourneyActivities>(submitOptions(['TaskNotFound', 'ChannelUnavailable', 'TaskClosed']));
const { checkMjTask } = proxyActivities<MidjourneyActivities>(checkOptions);
const { recordMjSnapshot, failMjTask } = proxyActivities<MidjourneyActivities>(bookkeepingOptions);

/**
 * One Midjourney job. Its price was held when the task was created; this
 * workflow submits it (to the parent's channel for child actions), answers the
 * waiting relay with the upstream's code, follows the job until it succeeds or
 * fails, and gives the price back exactly once if the upstream refuses it, it
 * fails, or it outlives the deadline. A long or chatty job continues as new,
 * carrying `resume` (the submission's answer included, for late relays).
 */
export async function mjTask(input: MjTaskInput): Promise<MjTaskState> {
  const { resume } = input;
  const state: MjTaskState = resume?.state ?? {
    status: 'NOT_START',
    progress: '0%',
    failReason: '',
    channelId: 0,
    upstreamTaskId: null,
    refunded: false,
    submission: null,
  };
  const deadline = resume?.deadline ?? Date.now() + input.timeoutMinutes * 60_000;
  let seq = resume?.seq ?? 0;
  const inbox: Inbox<MjUpstreamTask> = { latest: resume?.latest };

  setHandler(statusQuery, () => state);
  setHandler(submissionUpdate, async () => {
    await condition(() => state.submission !== null);
    return state.submission!;
  });
  setHandler(mjUpstreamUpdate, (snapshot) => {
    inbox.latest = snapshot;
  });

  const fail = async (reason: string, code?: number): Promise<MjTaskState> => {
    const outcome = await CancellationScope.nonCancellable(() => failMjTask({ mjId: input.mjId, seq: ++seq, reason, code }));
    Object.assign(state, { status: 'FAILURE', progress: '100%', failReason: reason, refunded: outcome.refunded });
    upsertSearchAttributes([{ key: TaskStatus, value: 'FAILURE' }]);
    return state;
  };
  const answer = (submission: MjSubmission) => {
    state.submission = submission;
  };
  // A relay waiting on `submission` gets its answer before the run closes.
  const finish = async (): Promise<MjTaskState> => {
    await condition(allHandlersFinished);
    return state;
  };

  // 1. Submit, and tell the waiting relay what the upstream said — after any refund,
  //    so a refused client sees its balance already restored. A continued run has done so.
  if (!resume) {
    let submitted;
    try {
      submitted = await submitMjTask({ mjId: input.mjId, seq: ++seq });
    } catch (err) {
      const reason = `submission failed: ${describeFailure(err)}`;
      await fail(reason);
      answer({ accepted: false, code: 9, description: reason, properties: {} });
      return finish();
    }
    if (!submitted.submission.accepted) {
      await fail(submitted.submission.description || `the upstream refused the task (code ${submitted.submission.code})`, submitted.submission.code);
      answer(submitted.submission);
      return finish();
    }
    answer(submitted.submission);
    Object.assign(state, { status: submitted.status, progress: submitted.progress, channelId: submitted.channelId, upstreamTaskId: submitted.upstreamTaskId });
    upsertSearchAttributes([
      { key: TaskStatus, value: submitted.status },
      { key: TaskChannelId, value: submitted.channelId },
    ]);
    if (submitted.status === 'SUCCESS') return finish();
  }

  // 2. Follow it until it ends; the deadline fails it if the upstream never says.
  const outcome = await followUpstream({
    inbox,
    state,
    deadline,
    times: input,
    fallbackMs: resume?.fallbackMs,
    check: () => checkMjTask({ mjId: input.mjId, freshSeconds: input.fallbackPollSeconds }),
    record: (snapshot) => recordMjSnapshot({ mjId: input.mjId, seq: ++seq, snapshot }),
  });
  if (outcome.kind === 'continue') {
    await condition(allHandlersFinished);
    // Taken after the handlers finished, so news that arrived meanwhile travels too.
    return continueAsNew<typeof mjTask>({ ...input, resume: { state, seq, deadline, fallbackMs: outcome.fallbackMs, latest: inbox.latest } });
  }
  if (outcome.failure !== null) await fail(outcome.failure);
  return finish();
}
