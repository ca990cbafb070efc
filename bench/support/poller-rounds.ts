import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** One poll round as the poller's own history recorded it, in ms. */
export interface PollerRound {
  /** When the round's activity was scheduled. */
  at: number;
  /** Scheduled → started: the wait for a worker slot on the round's task queue. */
  queued: number;
  /** Started → completed (or failed, or timed out). */
  ran: number;
  /** The round's timer fired → the next round was scheduled: the workflow task's own latency. */
  woke?: number;
  outcome: 'completed' | 'failed' | 'timedOut';
}

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (e: Event): number => {
  const t = e.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : NaN;
};

/**
 * The rounds a poller ran since `sinceMs` (epoch ms), read from the histories of its latest
 * runs (newest first, walking back along continue-as-new). Tells where a slow round's time went:
 * waiting on the task queue, inside the activity, or in the workflow task between two rounds.
 */
export async function pollerRounds(client: Client, workflowId: string, sinceMs: number, maxRuns = 5): Promise<PollerRound[]> {
  const rounds: PollerRound[] = [];
  let runId: string | undefined;
  for (let run = 0; run < maxRuns; run++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: Event[] = history.events ?? [];
    rounds.unshift(...roundsOf(events));
    const first = events[0];
    runId = first?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId || (first && ms(first) < sinceMs)) break;
  }
  return rounds.filter((r) => r.at >= sinceMs);
}

function roundsOf(events: Event[]): PollerRound[] {
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const rounds: PollerRound[] = [];
  let lastFired: number | undefined;
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      scheduled.set(id, ms(e));
      const previous = rounds.at(-1);
      if (previous && lastFired !== undefined) previous.woke = ms(e) - lastFired;
      lastFired = undefined;
    }
    const startedOf = e.activityTaskStartedEventAttributes?.scheduledEventId;
    if (startedOf != null) started.set(String(startedOf), ms(e));
    const closed =
      (e.activityTaskCompletedEventAttributes && (['completed', e.activityTaskCompletedEventAttributes] as const)) ||
      (e.activityTaskFailedEventAttributes && (['failed', e.activityTaskFailedEventAttributes] as const)) ||
      (e.activityTaskTimedOutEventAttributes && (['timedOut', e.activityTaskTimedOutEventAttributes] as const));
    if (closed) {
      const key = String(closed[1].scheduledEventId);
      const at = scheduled.get(key) ?? NaN;
      const begun = started.get(key) ?? at;
      rounds.push({ at, queued: begun - at, ran: ms(e) - begun, outcome: closed[0] });
    }
    if (e.timerFiredEventAttributes) lastFired = ms(e);
  }
  return rounds;
}
