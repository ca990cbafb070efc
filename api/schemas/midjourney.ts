import { z } from 'zod';
import type { IMjTask } from '../../db/entities';
import { MJ_MODES, MJ_SUBMIT_ROUTES } from '../../services/midjourney/submission';
import type { MjListed } from '../../services/midjourney/tasks';
import { pageQuery } from './common';

const loose = z.string().max(100_000).nullish();

/**
 * midjourney-proxy's request body. Every field is optional here because
 * clients such as new-api send all of them, empty ones included; which are
 * required depends on the route and is checked by `planSubmission`.
 */
export const mjSubmitBody = z.object({
  prompt: z.string().max(8_192).nullish(),
  customId: z.string().max(256).nullish(),
  botType: z.string().max(32).nullish(),
  notifyHook: loose,
  accountFilter: z.unknown().optional(),
  action: z.string().max(32).nullish(),
  index: z.coerce.number().int().min(0).max(4).nullish(),
  state: z.string().max(1_024).nullish(),
  taskId: z.string().max(64).nullish(),
  base64: z.string().nullish(),
  base64Array: z.array(z.string()).max(5).nullish(),
  content: z.string().max(1_024).nullish(),
  maskBase64: z.string().nullish(),
  dimensions: z.string().max(16).nullish(),
});

const mode = z.enum(MJ_MODES, { error: `unknown mode; use ${MJ_MODES.join(', ')} or none` });
const route = z.enum(MJ_SUBMIT_ROUTES, { error: `unknown submit route; use ${MJ_SUBMIT_ROUTES.join(', ')}` });

export const mjSubmitParams = z.object({ mode: mode.optional(), action: route });
export const mjTaskParams = z.object({ mode: mode.optional(), id: z.string().min(1).max(64) });
export const mjListByConditionBody = z.object({ ids: z.array(z.string().max(64)).max(1_000).default([]) });

export const mjSubmitReplyView = z.object({
  code: z.number().int(),
  description: z.string(),
  result: z.string().nullable(),
  properties: z.record(z.string(), z.unknown()),
});

const button = z.object({ customId: z.string(), emoji: z.string(), label: z.string(), type: z.number(), style: z.number() });

/** midjourney-proxy's task JSON as new-api's MidjourneyDto serves it. Times in milliseconds. */
export const mjTaskView = z.object({
  id: z.string(),
  action: z.string(),
  prompt: z.string(),
  promptEn: z.string(),
  description: z.string(),
  state: z.string(),
  submitTime: z.number().int(),
  startTime: z.number().int(),
  finishTime: z.number().int(),
  imageUrl: z.string(),
  videoUrl: z.string(),
  videoUrls: z.array(z.object({ url: z.string() })),
  status: z.string(),
  progress: z.string(),
  failReason: z.string(),
  buttons: z.array(button),
  properties: z.record(z.string(), z.unknown()),
});

/** How image URLs leave the API: through our proxy when forwarding is on (new-api's MjForwardUrlEnabled). */
export interface ImageUrlPolicy {
  forward: boolean;
  serverAddress: string;
}

export function imageUrlOf(t: Pick<IMjTask, 'mjId' | 'imageUrl' | 'status'>, policy: ImageUrlPolicy, bustCache = false): string {
  if (!t.imageUrl || !policy.forward) return t.imageUrl;
  const url = `${policy.serverAddress}/mj/image/${t.mjId}`;
  // Progress previews change under one URL until the job is done.
  return bustCache && t.status !== 'SUCCESS' ? `${url}?rand=${Date.now()}` : url;
}

export function toMjTaskView(t: IMjTask, policy: ImageUrlPolicy): z.infer<typeof mjTaskView> {
  const props = t.properties ?? {};
  return {
    id: t.mjId,
    action: t.action,
    prompt: t.prompt,
    promptEn: t.promptEn,
    description: t.description,
    state: t.state,
    submitTime: t.submitTime,
    startTime: t.startTime,
    finishTime: t.finishTime,
    imageUrl: imageUrlOf(t, policy, true),
    videoUrl: t.videoUrl,
    videoUrls: t.videoUrls ?? [],
    status: t.status,
    progress: t.progress,
    failReason: t.failReason,
    buttons: t.buttons ?? [],
    properties: { finalPrompt: props.finalPrompt ?? null, finalZhPrompt: props.finalZhPrompt ?? null },
  };
}

/**
 * new-api's drawing log takes milliseconds; seed 001's examples show seconds.
 * Both work: anything below 10^11 (year 5138 in seconds) is read as seconds.
 */
const timestamp = z.coerce
  .number()
  .int()
  .min(0)
  .transform((v) => (v < 1e11 ? v * 1000 : v));

export const listMjQuery = pageQuery.extend({
  mj_id: z.string().max(64).optional(),
  start_timestamp: timestamp.optional(),
  end_timestamp: timestamp.optional(),
});

export const adminListMjQuery = listMjQuery.extend({
  channel_id: z.coerce.number().int().min(0).optional(),
  user_id: z.coerce.number().int().min(0).optional(),
});

/** Seed 001's item; `video_urls` is a JSON string there, as new-api stores it. */
export const mjLogView = z.object({
  id: z.number().int(),
  mj_id: z.string(),
  action: z.string(),
  prompt: z.string(),
  prompt_en: z.string(),
  status: z.string(),
  progress: z.string(),
  image_url: z.string(),
  video_url: z.string(),
  video_urls: z.string(),
  submit_time: z.number().int(),
  start_time: z.number().int(),
  finish_time: z.number().int(),
  fail_reason: z.string(),
  quota: z.number().int(),
});

export const adminMjLogView = mjLogView.extend({ user_id: z.number().int(), channel_id: z.number().int() });

export function toMjLogView(t: MjListed, policy: ImageUrlPolicy): z.infer<typeof mjLogView> {
  return {
    id: t.id,
    mj_id: t.mjId,
    action: t.action,
    prompt: t.prompt,
    prompt_en: t.promptEn,
    status: t.status,
    progress: t.progress,
    image_url: imageUrlOf(t, policy),
    video_url: t.videoUrl,
    video_urls: t.videoUrls?.length ? JSON.stringify(t.videoUrls.map((v) => v.url)) : '',
    submit_time: t.submitTime,
    start_time: t.startTime,
    finish_time: t.finishTime,
    fail_reason: t.failReason,
    quota: t.quota,
  };
}

export const toAdminMjLogView = (t: MjListed, policy: ImageUrlPolicy) => ({ ...toMjLogView(t, policy), user_id: t.userId, channel_id: t.channelId });
