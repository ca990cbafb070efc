import { z } from 'zod';
import { TokenStatus, type IToken } from '../../db/entities';
import { pageQuery, quotaAmount } from './common';

const name = z.string().trim().min(1).max(64);
/** Unix seconds, or -1 for never (new-api's convention). */
const expiredTime = z
  .number()
  .int()
  .refine((v) => v === -1 || v > 0, 'must be -1 (never) or a unix timestamp in seconds');

export const createTokenBody = z.strictObject({
  name,
  remain_quota: quotaAmount.optional(),
  unlimited_quota: z.boolean().optional(),
  expired_time: expiredTime.optional(),
});

export const updateTokenBody = z.strictObject({
  id: z.number().int().positive(),
  name: name.optional(),
  remain_quota: quotaAmount.optional(),
  unlimited_quota: z.boolean().optional(),
  expired_time: expiredTime.optional(),
  status: z.union([z.literal(TokenStatus.enabled), z.literal(TokenStatus.disabled)]).optional(),
});

export const listTokensQuery = pageQuery.extend({ keyword: z.string().max(64).optional() });

export const tokenView = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  name: z.string(),
  key: z.string().describe('full key at creation only; a masked hint everywhere else'),
  status: z.number().int(),
  remain_quota: z.number().int(),
  used_quota: z.number().int(),
  unlimited_quota: z.boolean(),
  expired_time: z.number().int(),
  created_time: z.number().int(),
  accessed_time: z.number().int(),
});

export function toTokenView(t: IToken, fullKey?: string): z.infer<typeof tokenView> {
  return {
    id: t.id,
    user_id: t.userId,
    name: t.name,
    key: fullKey ?? t.keyHint,
    status: t.status,
    remain_quota: t.remainQuota,
    used_quota: t.usedQuota,
    unlimited_quota: t.unlimitedQuota,
    expired_time: t.expiredTime,
    created_time: t.createdTime,
    accessed_time: t.accessedTime,
  };
}
