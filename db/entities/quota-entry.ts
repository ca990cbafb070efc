import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export type QuotaEntryKind = 'topup' | 'adjustment' | 'charge' | 'refund';

/**
 * The append-only quota ledger. `idemKey` is unique: `charge:<task>` and
 * `refund:<task>` can each exist once, which is what makes charging and
 * refunding safe to retry from any number of workers.
 */
export const QuotaEntry = defineEntity({
  name: 'QuotaEntry',
  tableName: 'quota_entries',
  properties: {
    id: p.integer().primary().autoincrement(),
    userId: p.integer(),
    tokenId: p.integer().nullable(),
    kind: p.string().length(16).$type<QuotaEntryKind>(),
    /** Signed change to the user's balance: charges are negative. */
    amount: p.bigint('number'),
    balanceAfter: p.bigint('number'),
    idemKey: p.string().length(191).unique(),
    taskRef: p.string().length(128).nullable().index(),
    remark: p.string().length(255).default(''),
    /** Unix milliseconds. */
    createdAt: p.bigint('number'),
  },
  // (user_id, created_at) and created_at: the dashboard's spend-per-day chart, for one user and for all.
  indexes: [{ properties: ['userId', 'id'] }, { properties: ['userId', 'createdAt'] }, { properties: ['createdAt'] }],
});

export type IQuotaEntry = InferEntity<typeof QuotaEntry>;
