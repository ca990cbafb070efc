import type { Ledger, LedgerDrift } from '../services/ledger';

export interface LedgerActivityDeps {
  ledger: Ledger;
}

export function createLedgerActivities({ ledger }: LedgerActivityDeps) {
  return {
    /** Users whose balance disagrees with the ledger; read-only, so safe to retry. */
    async findLedgerDrift(limit: number): Promise<LedgerDrift[]> {
      return ledger.audit(limit);
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
