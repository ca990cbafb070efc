import { ActivityFailure, ApplicationFailure, CancellationScope, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { MidjourneyActivities } from '../../activities/midjourney';
import type { MjUpstreamTask } from '../../services/upstream/midjourney-client';
import { TaskChannelId, TaskStatus } from '../../temporal/search-attributes';
import { mjStatusQuery, mjUpstreamUpdate, submissionUpdate, type MjSubmission, type MjTaskInput, type MjTaskState } from './definitions';

const { submitMjTask } = proxyActivities<MidjourneyActivities>({
  startToCloseTimeout: '5 minutes',
  // Every usable channel is tried inside one attempt; attempts add backoff between rounds.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['TaskNotFound', 'ChannelUnavailable'] },
});
const { checkMjTask } = proxyActivities<MidjourneyActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 2 } });
// Bookkeeping must eventually succeed whatever the database is doing: retry without limit.
const { recordMjSnapshot, failMjTask } = proxyActivities<MidjourneyActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds' },
});

/** The fallback check backs off to this while nothing changes, to keep long tasks' histories short. */
const MAX_FALLBACK_MS = 10 * 60_000;

/**
 * One Midjourney job. Its price was held when the task was created; this
 * workflow submits it (to the parent's channel for child actions), answers the
 * waiting relay with the upstream's code, follows the job until it succeeds or
 * fails, and gives the price back exactly once if the upstream refuses it, it
 * fails, or it outlives the deadline.
 */
export async function mjTask(input: MjTaskInput): Promise<MjTaskState> {
  const state: MjTaskState = { status: 'NOT_START', progress: '0%', failReason: '', channelId: 0, upstreamTaskId: null, refunded: false, submission: null };
  const deadline = Date.now() + input.timeoutMinutes * 60_000;
  let seq = 0;
  let latest: MjUpstreamTask | undefined;

  setHandler(mjStatusQuery, () => state);
  setHandler(submissionUpdate, async () => {
    await condition(() => state.submission !== null);
    return state.submission!;
  });
  setHandler(mjUpstreamUpdate, (snapshot) => {
    latest = snapshot;
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

  // 1. Submit, and tell the waiting relay what the upstream said — after any refund,
  //    so a refused client sees its balance already restored.
  let submitted;
  try {
    submitted = await submitMjTask({ mjId: input.mjId, seq: ++seq });
  } catch (err) {
    const reason = `submission failed: ${describe(err)}`;
    await fail(reason);
    answer({ accepted: false, code: 9, description: reason, properties: {} });
    return state;
  }
  if (!submitted.submission.accepted) {
    await fail(submitted.submission.description || `the upstream refused the task (code ${submitted.submission.code})`, submitted.submission.code);
    answer(submitted.submission);
    return state;
  }
  answer(submitted.submission);
  Object.assign(state, { status: submitted.status, progress: submitted.progress, channelId: submitted.channelId, upstreamTaskId: submitted.upstreamTaskId });
  upsertSearchAttributes([
    { key: TaskStatus, value: submitted.status },
    { key: TaskChannelId, value: submitted.channelId },
  ]);
  if (submitted.status === 'SUCCESS') return state;

  // 2. Follow it: the batched poller signals changes; after a quiet spell, check by ourselves.
  const baseFallbackMs = input.fallbackPollSeconds * 1000;
  let fallbackMs = baseFallbackMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return fail(`task timed out after ${input.timeoutMinutes} minutes without a final result from the upstream`);
    const signalled = await condition(() => latest !== undefined, Math.min(fallbackMs, remaining));
    let snapshot: MjUpstreamTask | null | undefined = latest;
    latest = undefined;
    if (signalled) {
      fallbackMs = baseFallbackMs;
    } else {
      const check = await checkMjTask({ mjId: input.mjId, freshSeconds: input.fallbackPollSeconds }).catch(() => null);
      snapshot = check?.snapshot;
      if (!snapshot || snapshot.status === state.status) fallbackMs = Math.min(fallbackMs * 2, MAX_FALLBACK_MS);
    }
    if (!snapshot) continue;

    const recorded = await recordMjSnapshot({ mjId: input.mjId, seq: ++seq, snapshot });
    if (recorded.status !== state.status) upsertSearchAttributes([{ key: TaskStatus, value: recorded.status }]);
    Object.assign(state, { status: recorded.status, progress: recorded.progress });
    if (recorded.status === 'SUCCESS') return state;
    if (recorded.status === 'FAILURE') return fail(recorded.failReason);
  }
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}
