import { ActivityFailure, ApplicationFailure, CancellationScope, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { SunoActivities } from '../../activities/suno';
import { TaskChannelId, TaskStatus } from '../../temporal/search-attributes';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';
import { statusQuery, upstreamUpdate, type SunoTaskInput, type SunoTaskState } from './definitions';

const { submitSunoTask } = proxyActivities<SunoActivities>({
  startToCloseTimeout: '5 minutes',
  // Every channel was tried inside one attempt; attempts add backoff between rounds.
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: ['UpstreamRejected', 'TaskNotFound'] },
});
const { checkSunoTask } = proxyActivities<SunoActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 2 } });

/** The fallback check backs off to this while nothing changes, to keep long tasks' histories short. */
const MAX_FALLBACK_MS = 10 * 60_000;
// Bookkeeping must eventually succeed whatever the database is doing: retry without limit.
const { recordSunoSnapshot, failSunoTask } = proxyActivities<SunoActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds' },
});

/**
 * One Suno generation, from submission to a terminal state. The caller has
 * already been charged (in the same transaction that created the task); this
 * workflow submits it upstream, follows it until it succeeds or fails, and on
 * any failure — rejected, lost, timed out — refunds the charge exactly once.
 */
export async function sunoTask(input: SunoTaskInput): Promise<SunoTaskState> {
  const state: SunoTaskState = { status: 'NOT_START', progress: '0%', failReason: '', channelId: 0, upstreamTaskId: null, refunded: false };
  const deadline = Date.now() + input.timeoutMinutes * 60_000;
  let seq = 0;
  let latest: SunoUpstreamTask | undefined;

  setHandler(statusQuery, () => state);
  setHandler(upstreamUpdate, (snapshot) => {
    latest = snapshot;
  });

  const fail = async (reason: string): Promise<SunoTaskState> => {
    const outcome = await CancellationScope.nonCancellable(() => failSunoTask({ taskId: input.taskId, seq: ++seq, reason }));
    Object.assign(state, { status: 'FAILURE', progress: '100%', failReason: reason, refunded: outcome.refunded });
    upsertSearchAttributes([{ key: TaskStatus, value: 'FAILURE' }]);
    return state;
  };

  // 1. Hand the task to an upstream channel.
  try {
    const submitted = await submitSunoTask({ taskId: input.taskId, seq: ++seq });
    Object.assign(state, { status: 'SUBMITTED', progress: '10%', channelId: submitted.channelId, upstreamTaskId: submitted.upstreamTaskId });
    upsertSearchAttributes([
      { key: TaskStatus, value: 'SUBMITTED' },
      { key: TaskChannelId, value: submitted.channelId },
    ]);
  } catch (err) {
    return fail(`submission failed: ${describe(err)}`);
  }

  // 2. Follow it. The batched poller signals changes. When it has been quiet for
  //    a while, check whether it still sees the task; if not, ask the upstream.
  const baseFallbackMs = input.fallbackPollSeconds * 1000;
  let fallbackMs = baseFallbackMs;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return fail(`task timed out after ${input.timeoutMinutes} minutes without a final result from the upstream`);
    const signalled = await condition(() => latest !== undefined, Math.min(fallbackMs, remaining));
    let snapshot: SunoUpstreamTask | null | undefined = latest;
    latest = undefined;
    if (signalled) {
      fallbackMs = baseFallbackMs;
    } else {
      const check = await checkSunoTask({ taskId: input.taskId, freshSeconds: input.fallbackPollSeconds }).catch(() => null);
      snapshot = check?.snapshot;
      if (!snapshot || snapshot.status === state.status) fallbackMs = Math.min(fallbackMs * 2, MAX_FALLBACK_MS);
    }
    if (!snapshot) continue;

    const recorded = await recordSunoSnapshot({ taskId: input.taskId, seq: ++seq, snapshot });
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
