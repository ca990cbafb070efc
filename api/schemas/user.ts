import { z } from 'zod';
import { Role, UserStatus, type IUser } from '../../db/entities';
import { pageQuery, quotaAmount } from './common';

const roleValue = z.union([z.literal(Role.user), z.literal(Role.admin), z.literal(Role.root)]);
const statusValue = z.union([z.literal(UserStatus.enabled), z.literal(UserStatus.disabled)]);
const username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.@-]+$/, 'use letters, digits and . _ @ - only');
const password = z.string().min(8, 'must be at least 8 characters').max(128);

export const createUserBody = z.strictObject({
  username,
  password,
  display_name: z.string().max(64).optional(),
  quota: quotaAmount.optional(),
  role: roleValue.optional(),
});

export const updateUserBody = z.strictObject({
  id: z.number().int().positive(),
  display_name: z.string().max(64).optional(),
  password: password.optional(),
  quota: quotaAmount.optional(),
  role: roleValue.optional(),
  status: statusValue.optional(),
});

export const loginBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(128) });

export const listUsersQuery = pageQuery.extend({
  keyword: z.string().max(64).optional(),
  role: z.coerce.number().int().optional(),
  status: z.coerce.number().int().optional(),
});

export const userView = z.object({
  id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  role: z.number().int(),
  status: z.number().int(),
  quota: z.number().int(),
  used_quota: z.number().int(),
  request_count: z.number().int(),
  created_time: z.number().int(),
  updated_time: z.number().int(),
});

export const userWithTokenView = userView.extend({ access_token: z.string() });

export function toUserView(u: IUser): z.infer<typeof userView> {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName,
    role: u.role,
    status: u.status,
    quota: u.quota,
    used_quota: u.usedQuota,
    request_count: u.requestCount,
    created_time: u.createdTime,
    updated_time: u.updatedTime,
  };
}
