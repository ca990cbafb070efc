import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

export const LEDGER_AUDIT_SCHEDULE_ID = 'ledger-audit';

/** Creates the ledger-audit schedule once per cluster; every worker may call this at start. */
export async function ensureLedgerAuditSchedule(client: Client, taskQueue: string, cron: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: LEDGER_AUDIT_SCHEDULE_ID,
      spec: { cronExpressions: [cron] },
      action: { type: 'startWorkflow', workflowType: 'ledgerAudit', args: [100], taskQueue, workflowId: 'ledger-audit' },
      memo: { purpose: 'Compares every user balance with the quota ledger' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
