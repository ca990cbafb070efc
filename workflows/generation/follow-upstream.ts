import { ActivityFailure, ApplicationFailure, condition, upsertSearchAttributes } from '@temporalio/workflow';
import { TaskStatus } from '../search-attributes';

/** The fallback check backs off to this while nothing changes, to keep long tasks' histories short. */
const MAX_FALLBACK_MS = 10 * 60_000;

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
}

export interface FollowSpec<S extends { status?: string | null }> {
  inbox: Inbox<S>;
  /** The workflow's own state; status and progress are kept current here. */
  state: { status: string; progress: string };
  deadline: number;
  times: FollowTimes;
  /** The per-task fallback: a snapshot, or null/undefined when there is nothing to add. */
  check(): Promise<S | null | undefined>;
  /** Writes a snapshot to the projection; FAILURE is left for the caller to write with its refund. */
  record(snapshot: S): Promise<Recorded>;
}

/**
 * Follows an upstream job until it ends, for every generation platform: the
 * batched poller signals changes; after a quiet spell the task checks by
 * itself, backing off while nothing changes; the deadline ends it either way.
 * Resolves with the failure reason, or null when the job succeeded.
 */
export async function followUpstream<S extends { status?: string | null }>(spec: FollowSpec<S>): Promise<string | null> {
  const baseFallbackMs = spec.times.fallbackPollSeconds * 1000;
  let fallbackMs = baseFallbackMs;
  for (;;) {
    const remaining = spec.deadline - Date.now();
    if (remaining <= 0) return `task timed out after ${spec.times.timeoutMinutes} minutes without a final result from the upstream`;
    const signalled = await condition(() => spec.inbox.latest !== undefined, Math.min(fallbackMs, remaining));
    let snapshot: S | null | undefined = spec.inbox.latest;
    spec.inbox.latest = undefined;
    if (signalled) {
      fallbackMs = baseFallbackMs;
    } else {
      snapshot = await spec.check().catch(() => null);
      if (!snapshot || snapshot.status === spec.state.status) fallbackMs = Math.min(fallbackMs * 2, MAX_FALLBACK_MS);
    }
    if (!snapshot) continue;

    const recorded = await spec.record(snapshot);
    if (recorded.status !== spec.state.status) upsertSearchAttributes([{ key: TaskStatus, value: recorded.status }]);
    Object.assign(spec.state, { status: recorded.status, progress: recorded.progress });
    if (recorded.status === 'SUCCESS') return null;
    if (recorded.status === 'FAILURE') return recorded.failReason;
  }
}

/** An activity failure's own message, for a task's fail_reason. */
export function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}
