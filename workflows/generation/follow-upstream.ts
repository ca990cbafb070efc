import { ActivityFailure, ApplicationFailure, condition, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { TaskStatus } from '../search-attributes';
import { historyFull } from '../history-budget';

/** The fallback check backs off to this while nothing changes, to keep long tasks' histories short. */
const MAX_FALLBACK_MS = 10 * 60_000;
/**
 * A check that finds the batched poller following the task waits this many base waits
 * before the next one (20 min at the default 60 s). The poller signals every change, so the
 * check only guards against a poller that stops; with 10,000 tasks in flight, doubling up to
 * ten minutes woke about 22 of them a second for nothing (docs/design-notes.md#polling).
 */
const POLLED_FALLBACK_FACTOR = 20;

/**
 * Runs recorded before the follow loop could continue as new must replay without it; see
 * "Before a deploy" in docs/operations.md for the rule and for when this can go.
 */
export const FOLLOW_CONTINUES_AS_NEW = 'follow-upstream-continues-as-new';

/** Where a task's signal handler leaves the batched poller's latest news. */
export interface Inbox<S> {
  latest?: S;
}

export interface Recorded {
  status: string;
  progress: string;
  failReason: string;
}

/** How long a generation task is followed, part of every generation workflow's input. */
export interface FollowTimes {
  /** Give up (fail and refund) this long after the task started. */
  timeoutMinutes: number;
  /** Quiet this long, the task checks by itself (poller down, or the upstream dropped the id). */
  fallbackPollSeconds: number;
  /** Events a run may reach before it continues as new; absent in inputs written before it existed. */
  historyBudget?: number;
}

/** What a generation task's run hands to the run it continues as: everything its follow loop knew. */
export interface FollowResume<State, S> {
  state: State;
  /** The last projection write's number; the next run writes above it. */
  seq: number;
  /** Unix ms: the task's deadline stays where its first run put it. */
  deadline: number;
  fallbackMs: number;
  /** News the poller sent that the loop had not taken yet. */
  latest?: S;
}

export interface FollowSpec<S extends { status?: string | null }> {
  inbox: Inbox<S>;
  /** The workflow's own state; status and progress are kept current here. */
  state: { status: string; progress: string };
  deadline: number;
  times: FollowTimes;
  /** The fallback wait a continued run had reached; the base wait otherwise. */
  fallbackMs?: number;
  /** The per-task fallback: a snapshot, or none when there is nothing to add; whether the poller follows the task. */
  check(): Promise<{ snapshot?: S | null; seenByPoller: boolean }>;
  /** Writes a snapshot to the projection; FAILURE is left for the caller to write with its refund. */
  record(snapshot: S): Promise<Recorded>;
}

/** The loop ended the task (`failure` null on success), or the run should continue as new from `fallbackMs`. */
export type FollowOutcome = { kind: 'ended'; failure: string | null } | { kind: 'continue'; fallbackMs: number };

/**
 * Follows an upstream job until it ends, for every generation platform: the
 * batched poller signals changes; after a quiet spell the task checks by
 * itself (rarely while the poller is seen following it, backing off while
 * nothing changes otherwise); the deadline ends it either way.
 * An upstream that changes at every poll would grow the history without limit,
 * so once the run's history reaches its budget the loop hands back to the
 * workflow, which continues as new with everything the loop knew.
 */
export async function followUpstream<S extends { status?: string | null }>(spec: FollowSpec<S>): Promise<FollowOutcome> {
  const mayContinue = patched(FOLLOW_CONTINUES_AS_NEW);
  const baseFallbackMs = spec.times.fallbackPollSeconds * 1000;
  let fallbackMs = spec.fallbackMs ?? baseFallbackMs;
  let followed = false;
  // At least one round per run, so a budget below a run's own start-up events cannot loop.
  for (let round = 0; ; round++) {
    const remaining = spec.deadline - Date.now();
    if (remaining <= 0) return { kind: 'ended', failure: `task timed out after ${spec.times.timeoutMinutes} minutes without a final result from the upstream` };
    if (mayContinue && round > 0 && historyFull(workflowInfo(), spec.times.historyBudget)) return { kind: 'continue', fallbackMs };
    const signalled = await condition(() => spec.inbox.latest !== undefined, Math.min(fallbackMs, remaining));
    let snapshot: S | null | undefined = spec.inbox.latest;
    spec.inbox.latest = undefined;
    if (signalled) {
      // Only the poller signals: it is following this task.
      followed = true;
      fallbackMs = baseFallbackMs * POLLED_FALLBACK_FACTOR;
    } else {
      const checked = await spec.check().catch(() => null);
      snapshot = checked?.snapshot;
      const wasFollowed = followed;
      followed = checked?.seenByPoller === true;
      if (followed) fallbackMs = baseFallbackMs * POLLED_FALLBACK_FACTOR;
      // The poller stopped following it: check often again, then back off.
      else if (wasFollowed) fallbackMs = baseFallbackMs;
      else if (!snapshot || snapshot.status === spec.state.status) fallbackMs = Math.min(fallbackMs * 2, MAX_FALLBACK_MS);
    }
    if (!snapshot) continue;

    const recorded = await spec.record(snapshot);
    if (recorded.status !== spec.state.status) upsertSearchAttributes([{ key: TaskStatus, value: recorded.status }]);
    Object.assign(spec.state, { status: recorded.status, progress: recorded.progress });
    if (recorded.status === 'SUCCESS') return { kind: 'ended', failure: null };
    if (recorded.status === 'FAILURE') return { kind: 'ended', failure: recorded.failReason };
  }
}

/** An activity failure's own message, for a task's fail_reason. */
export function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}
