import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export interface RunHistory {
  runId: string;
  /** Events in the run's history. */
  events: number;
  /** How it closed (`continuedAsNew`, `completed`, …), or `open`. */
  closedAs: string;
  /** The run's input, as its first event carries it. */
  input: unknown;
}

const CLOSE_ATTRIBUTES: Record<string, string> = {
  workflowExecutionContinuedAsNewEventAttributes: 'continuedAsNew',
  workflowExecutionCompletedEventAttributes: 'completed',
  workflowExecutionFailedEventAttributes: 'failed',
  workflowExecutionTerminatedEventAttributes: 'terminated',
  workflowExecutionTimedOutEventAttributes: 'timedOut',
  workflowExecutionCanceledEventAttributes: 'canceled',
};

/**
 * Every run of a workflow id, first to latest, read from the histories themselves (each
 * continued run names the next), not from visibility, which lags.
 */
export async function runsOf(client: Client, workflowId: string, maxRuns = 200): Promise<RunHistory[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  let runId: string | null | undefined = latest.raw.workflowExecutionInfo?.firstRunId || latest.runId;
  const runs: RunHistory[] = [];
  while (runId && runs.length < maxRuns) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    const last: temporal.api.history.v1.IHistoryEvent = events[events.length - 1] ?? {};
    const closedAs = Object.entries(CLOSE_ATTRIBUTES).find(([key]) => (last as Record<string, unknown>)[key])?.[1] ?? 'open';
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    runs.push({ runId, events: events.length, closedAs, input: payload ? JSON.parse(Buffer.from(payload).toString()) : undefined });
    runId = last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return runs;
}
