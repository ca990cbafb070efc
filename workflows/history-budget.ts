import type { WorkflowInfo } from '@temporalio/workflow';

/**
 * Events a long-lived run reaches before it continues as new, when its input names no budget
 * (runs started before WORKFLOW_HISTORY_BUDGET existed). Temporal warns at 10,240 events and
 * refuses more than 51,200; it suggests continuing as new at about 4,000.
 */
export const DEFAULT_HISTORY_BUDGET = 4000;

/** Whether a run should continue as new now: its history reached the budget, or Temporal suggests it. */
export function historyFull(info: Pick<WorkflowInfo, 'historyLength' | 'continueAsNewSuggested'>, budget = DEFAULT_HISTORY_BUDGET): boolean {
  return info.continueAsNewSuggested || info.historyLength >= budget;
}
