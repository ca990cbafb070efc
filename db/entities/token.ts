import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** new-api's token statuses: expired and exhausted are derived at use time too. */
export const TokenStatus = { enabled: 1, disabled: 2, expired: 3, exhausted: 4 } as const;

export const Token = defineEntity({
  name: 'Token',
  tableName: 'tokens',
  properties: {
    id: p.integer().primary().autoincrement(),
    userId: p.integer().index(),
    name: p.string().length(64),
    keyDigest: p.string().length(64).unique(),
    /** Masked key shown in listings; the full key is only returned once, at creation. */
    keyHint: p.string().length(16),
    status: p.smallint().default(TokenStatus.enabled),
    remainQuota: p.bigint('number').default(0),
    usedQuota: p.bigint('number').default(0),
    unlimitedQuota: p.boolean().default(false),
    /** Unix seconds; -1 never expires (new-api's convention). */
    expiredTime: p.bigint('number').default(-1),
    createdTime: p.bigint('number'),
    accessedTime: p.bigint('number'),
  },
});

export type IToken = InferEntity<typeof Token>;
