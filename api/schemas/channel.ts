import { z } from 'zod';
import { CHANNEL_TYPES, ChannelStatus, type IChannel } from '../../db/entities';
import type { ChannelInput } from '../../services/channels';
import { pageQuery } from './common';

const channelType = z
  .number()
  .int()
  .refine((t) => CHANNEL_TYPES.includes(t), `unsupported channel type; use 36 (Suno API), 2 (Midjourney proxy) or 5 (Midjourney Plus)`);
const baseUrl = z
  .string()
  .trim()
  .max(512)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
const status = z.union([z.literal(ChannelStatus.enabled), z.literal(ChannelStatus.manuallyDisabled), z.literal(ChannelStatus.autoDisabled)]);

export const createChannelBody = z.strictObject({
  type: channelType,
  name: z.string().trim().min(1).max(128),
  key: z.string().trim().min(1).max(4096),
  base_url: baseUrl,
  status: status.optional(),
  priority: z.number().int().optional(),
  weight: z.number().int().min(0).optional(),
});

export const updateChannelBody = createChannelBody.partial().extend({ id: z.number().int().positive() });

export const listChannelsQuery = pageQuery.extend({
  type: z.coerce.number().int().optional(),
  status: z.coerce.number().int().optional(),
  keyword: z.string().max(128).optional(),
});

export const channelView = z.object({
  id: z.number().int(),
  type: z.number().int(),
  name: z.string(),
  base_url: z.string(),
  status: z.number().int(),
  priority: z.number().int(),
  weight: z.number().int(),
  used_quota: z.number().int(),
  created_time: z.number().int(),
  updated_time: z.number().int(),
});

/** Wire body → service input; shared by create and update so the two cannot drift. */
export function toChannelInput(body: z.infer<typeof createChannelBody>): ChannelInput;
export function toChannelInput(body: Partial<z.infer<typeof createChannelBody>>): Partial<ChannelInput>;
export function toChannelInput(body: Partial<z.infer<typeof createChannelBody>>): Partial<ChannelInput> {
  return { type: body.type, name: body.name, key: body.key, baseUrl: body.base_url, status: body.status, priority: body.priority, weight: body.weight };
}

/** The upstream key is write-only: it never leaves the server once stored. */
export function toChannelView(c: IChannel): z.infer<typeof channelView> {
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    base_url: c.baseUrl,
    status: c.status,
    priority: c.priority,
    weight: c.weight,
    used_quota: c.usedQuota,
    created_time: c.createdTime,
    updated_time: c.updatedTime,
  };
}
