import type { Services } from '../services';
import { createLedgerActivities } from './ledger';

export interface ActivityDeps {
  services: Services;
}

/** Every activity the worker registers, built from explicit dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createLedgerActivities({ ledger: deps.services.ledger }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
