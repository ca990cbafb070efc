import { z } from 'zod';
import { toMjLogRow, type ImageUrlPolicy, type MjLogRow, type MjTaskJson } from '../../services/midjourney/task-json';
import { MJ_SUBMIT_ROUTES } from '../../services/midjourney/submission';
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
  image: z.string().nullish(),
  motion: z.string().max(16).nullish(),
  loop: z.boolean().nullish(),
});

/** InsightFace's face swap: the face in sourceBase64 put onto targetBase64. */
export const mjSwapFaceBody = z.object({
  sourceBase64: z.string().nullish(),
  targetBase64: z.string().nullish(),
  notifyHook: loose,
  state: z.string().max(1_024).nullish(),
});

/**
 * new-api serves the relay under any `/:mode/mj/…` prefix (mj-fast, mj-relax, mj-turbo
 * and whatever else a client puts there) and does not forward it. A mode is a name, so
 * anything else (spaces, dots, percent-escapes…) is refused rather than passed around.
 */
const mode = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'unknown mode prefix: letters, digits, "-" and "_" only, e.g. mj-fast')
  .refine((m) => m.toLowerCase() !== 'api', 'unknown mode prefix: api');
const route = z.enum(MJ_SUBMIT_ROUTES, { error: `unknown submit route; use ${MJ_SUBMIT_ROUTES.join(', ')}` });

export const mjSubmitParams = z.object({ mode: mode.optional(), action: route });
export const mjTaskParams = z.object({ mode: mode.optional(), id: z.string().min(1).max(64) });
/** As new-api: any number of ids (MJ_BODY_LIMIT bounds them); none answers []. */
export const mjListByConditionBody = z.object({
  ids: z
    .array(z.union([z.string().max(191), z.number().transform(String)]))
    .nullish()
    .transform((ids) => ids ?? []),
});

export const mjSubmitReplyView = z.object({
  code: z.number().int(),
  description: z.string(),
  result: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .describe("the task id; upload-discord-images' image URLs"),
  properties: z.record(z.string(), z.unknown()),
});

const button = z.object({ customId: z.string(), emoji: z.string(), label: z.string(), type: z.number(), style: z.number() });

/** new-api's MidjourneyDto (services/midjourney/task-json.ts renders it). Times in milliseconds. */
export const mjTaskView = z.object({
  id: z.string(),
  action: z.string(),
  customId: z.string(),
  botType: z.string(),
  prompt: z.string(),
  promptEn: z.string(),
  description: z.string(),
  state: z.string(),
  submitTime: z.number().int(),
  startTime: z.number().int(),
  finishTime: z.number().int(),
  imageUrl: z.string().describe('the forwarded URL, with ?rand= until the task succeeds'),
  videoUrl: z.string(),
  videoUrls: z
    .array(z.object({ url: z.string() }))
    .nullable()
    .describe('null when the upstream sent none'),
  status: z.string(),
  progress: z.string(),
  failReason: z.string(),
  buttons: z.array(button).nullable().describe('what the upstream sent; null when it sent none'),
  maskBase64: z.string(),
  properties: z.object({ finalPrompt: z.string(), finalZhPrompt: z.string() }).nullable().describe('null until the upstream has sent any'),
}) satisfies z.ZodType<MjTaskJson>;

export { imageUrlOf, toMjTaskJson as toMjTaskView, type ImageUrlPolicy } from '../../services/midjourney/task-json';

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

/** new-api's `midjourneys` row, as its drawing log (and its web UI) reads it. */
export const mjLogView = z.object({
  id: z.number().int(),
  code: z.number().int(),
  user_id: z.number().int(),
  action: z.string(),
  mj_id: z.string(),
  prompt: z.string(),
  prompt_en: z.string(),
  description: z.string(),
  state: z.string(),
  submit_time: z.number().int(),
  start_time: z.number().int(),
  finish_time: z.number().int(),
  image_url: z.string(),
  video_url: z.string(),
  video_urls: z.string().describe('JSON text of [{url}], "" when none'),
  status: z.string(),
  progress: z.string(),
  fail_reason: z.string(),
  channel_id: z.number().int().describe("0 on a user's own log"),
  quota: z.number().int(),
  buttons: z.string().describe('JSON text, "" when none'),
  properties: z.string().describe('JSON text of {finalPrompt, finalZhPrompt}, "" when none'),
}) satisfies z.ZodType<MjLogRow>;

export const toMjLogView = (t: MjListed, policy: ImageUrlPolicy) => toMjLogRow(t, policy, false);
export const toAdminMjLogView = (t: MjListed, policy: ImageUrlPolicy) => toMjLogRow(t, policy, true);
