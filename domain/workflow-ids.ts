/**
 * Business ids of taskhub's workflows, so an operator finds a task in the Temporal UI
 * by the id its API shows. The singletons run once per cluster.
 */
export const sunoWorkflowId = (taskId: string) => `suno-${taskId}`;
export const mjWorkflowId = (mjId: string) => `mj-${mjId}`;
/** One notifyHook delivery per task and status it reached: a repeated start is the same delivery. */
export const mjNotifyWorkflowId = (mjId: string, status: string) => `mj-notify-${mjId}-${status.toLowerCase()}`;
export const deviceWorkflowId = (taskId: number) => `device-${taskId}`;
export const phoneLockWorkflowId = (serial: string) => `phone-${serial}`;

/** The device task a `device-<id>` workflow runs, or null for any other workflow id. */
export function deviceTaskIdOf(workflowId: string): number | null {
  const m = /^device-(\d+)$/.exec(workflowId);
  return m ? Number(m[1]) : null;
}

export const SUNO_POLLER_ID = 'suno-poller';
export const MJ_POLLER_ID = 'mj-poller';
export const DEVICE_SWEEPER_ID = 'device-task-sweeper';
export const LEDGER_AUDIT_SCHEDULE_ID = 'ledger-audit';
export const LEDGER_AUDIT_WORKFLOW_ID = 'ledger-audit';
