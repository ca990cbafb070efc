import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Roles as new-api numbers them, so its clients read them unchanged. */
export const Role = { user: 1, admin: 10, root: 100 } as const;
export type RoleValue = (typeof Role)[keyof typeof Role];

export const UserStatus = { enabled: 1, disabled: 2 } as const;

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    username: p.string().length(64).unique(),
    passwordHash: p.string().length(255),
    displayName: p.string().length(64).default(''),
    role: p.smallint().default(Role.user),
    status: p.smallint().default(UserStatus.enabled),
    /** Spendable balance; moved only together with a quota_entries row (see services/ledger). */
    quota: p.bigint('number').default(0),
    usedQuota: p.bigint('number').default(0),
    requestCount: p.integer().default(0),
    accessTokenDigest: p.string().length(64).nullable().unique(),
    createdTime: p.bigint('number'),
    updatedTime: p.bigint('number'),
  },
});

export type IUser = InferEntity<typeof User>;
