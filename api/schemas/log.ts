import { z } from 'zod';
import type { IQuotaEntry, QuotaEntryKind } from '../../db/entities';
import { pageQuery } from './common';

const KINDS = ['topup', 'adjustment', 'charge', 'refund'] as const satisfies readonly QuotaEntryKind[];
/** new-api's log types for the same movements: 1 top-up, 2 consume, 3 manage, 6 refund. */
const NEW_API_TYPE: Record<QuotaEntryKind, number> = { topup: 1, charge: 2, adjustment: 3, refund: 6 };

const seconds = z.coerce.number().int().min(0);

/** Filters of new-api's log pages; timestamps are unix seconds on created_at. */
export const listSelfLogQuery = pageQuery.extend({
  kind: z.enum(KINDS).optional(),
  task_ref: z.string().max(128).optional().describe('e.g. suno:task_… or midjourney:<mj_id>'),
  start_timestamp: seconds.optional(),
  end_timestamp: seconds.optional(),
});

export const listLogQuery = listSelfLogQuery.extend({ user_id: z.coerce.number().int().positive().optional() });

export const logEntryView = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  token_id: z.number().int().nullable(),
  kind: z.enum(KINDS),
  type: z.number().int().describe("new-api's log type: 1 top-up, 2 consume, 3 manage, 6 refund"),
  amount: z.number().int().describe('signed change to the balance: charges are negative'),
  balance_after: z.number().int(),
  task_ref: z.string().nullable(),
  remark: z.string(),
  created_at: z.number().int().describe('unix seconds'),
});

export function toLogEntryView(e: IQuotaEntry): z.infer<typeof logEntryView> {
  return {
    id: e.id,
    user_id: e.userId,
    token_id: e.tokenId ?? null,
    kind: e.kind,
    type: NEW_API_TYPE[e.kind],
    amount: e.amount,
    balance_after: e.balanceAfter,
    task_ref: e.taskRef ?? null,
    remark: e.remark,
    created_at: Math.floor(e.createdAt / 1000),
  };
}

export const toLogFilter = (q: z.infer<typeof listSelfLogQuery>) => ({
  kind: q.kind,
  taskRef: q.task_ref,
  from: q.start_timestamp !== undefined ? q.start_timestamp * 1000 : undefined,
  to: q.end_timestamp !== undefined ? q.end_timestamp * 1000 + 999 : undefined,
});
