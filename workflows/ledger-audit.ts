import { log, proxyActivities } from '@temporalio/workflow';
import type { LedgerActivities } from '../activities/ledger';
import type { LedgerDrift } from '../services/ledger';

const { findLedgerDrift } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

export interface LedgerAuditResult {
  balanced: boolean;
  drift: LedgerDrift[];
}

/**
 * Checks that every user's balance and used quota equal the sum of their
 * ledger entries. Runs on a schedule; its result is what an operator reads in
 * the Temporal UI when asking "has any money gone missing?".
 */
export async function ledgerAudit(limit = 100): Promise<LedgerAuditResult> {
  const drift = await findLedgerDrift(limit);
  if (drift.length > 0) log.warn('quota ledger drift found', { users: drift.map((d) => d.userId) });
  return { balanced: drift.length === 0, drift };
}
