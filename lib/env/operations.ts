import { z } from 'zod';
import { doc } from './doc';

/** Logging, limits, shutdown and the ledger audit. */
export const operationsEnv = {
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta(doc('operations', 'level of the JSON log lines on stdout')),
  BODY_LIMIT: z
    .string()
    .default('1mb')
    .meta(doc('operations', 'largest JSON request body (413 above it)', { accepts: 'size' })),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(30).meta(doc('operations', 'time in-flight HTTP requests get to finish on shutdown')),
  LEDGER_AUDIT_CRON: z
    .string()
    .default('17 * * * *')
    .meta(doc('operations', 'schedule of the ledger-audit workflow', { accepts: 'cron expression', defaultText: '(hourly, at minute 17)' })),
};
