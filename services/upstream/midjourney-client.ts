import { z } from 'zod';
import { requestJson, UpstreamError } from './http';

export interface MjChannel {
  baseUrl: string;
  key: string;
}

/** midjourney-proxy's submit reply; `urls` holds upload-discord-images' result, a list instead of an id. */
export const mjSubmitReply = z
  .object({
    code: z.number().int(),
    description: z
      .string()
      .nullish()
      .transform((d) => d ?? ''),
    result: z.union([z.string(), z.number(), z.array(z.string())]).nullish(),
    properties: z
      .record(z.string(), z.unknown())
      .nullish()
      .transform((p) => p ?? {}),
  })
  .transform(({ result, ...reply }) => ({
    ...reply,
    result: Array.isArray(result) || result === null || result === undefined || result === '' ? null : String(result),
    urls: Array.isArray(result) ? result : null,
  }));
export type MjSubmitReply = z.infer<typeof mjSubmitReply>;

const button = z.object({
  customId: z.string(),
  emoji: z
    .string()
    .nullish()
    .transform((e) => e ?? ''),
  label: z
    .string()
    .nullish()
    .transform((l) => l ?? ''),
  type: z.number().catch(2),
  style: z.number().catch(2),
});

/** A task as midjourney-proxy (and its plus forks) report it; times in milliseconds. */
export const mjUpstreamTask = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  action: z.string().nullish(),
  status: z
    .string()
    .nullish()
    .transform((s) => s ?? ''),
  prompt: z.string().nullish(),
  promptEn: z.string().nullish(),
  description: z.string().nullish(),
  state: z.string().nullish(),
  submitTime: z.number().nullish(),
  startTime: z.number().nullish(),
  finishTime: z.number().nullish(),
  progress: z.string().nullish(),
  imageUrl: z.string().nullish(),
  videoUrl: z.string().nullish(),
  videoUrls: z
    .array(z.object({ url: z.string() }))
    .nullish()
    .catch(null),
  failReason: z.string().nullish(),
  properties: z.record(z.string(), z.unknown()).nullish().catch(null),
  buttons: z.array(button).nullish().catch(null),
});
export type MjUpstreamTask = z.infer<typeof mjUpstreamTask>;

/** Thin client for midjourney-proxy (novicezk/midjourney-proxy and forks), the upstream of channel types 2 and 5. */
export function createMidjourneyClient(timeoutMs: number) {
  const headers = (ch: MjChannel) => ({ 'mj-api-secret': ch.key });

  /** The reply whatever its code: refusals (4, 23, 24…) are answers, not errors. HTTP failures throw UpstreamError. */
  async function submit(ch: MjChannel, route: string, body: Record<string, unknown>): Promise<MjSubmitReply> {
    // `insight-face/swap` lives beside /mj/submit/, the others under it.
    const path = route.includes('/') ? `/mj/${route}` : `/mj/submit/${route}`;
    const { json } = await requestJson({ method: 'POST', url: `${ch.baseUrl}${path}`, headers: headers(ch), body, timeoutMs });
    const reply = mjSubmitReply.safeParse(json);
    if (!reply.success) throw new UpstreamError('upstream submit reply is not a midjourney-proxy reply', true);
    return reply.data;
  }

  /** Many tasks in one request; ids the upstream does not know are simply absent. */
  async function fetchMany(ch: MjChannel, ids: string[]): Promise<MjUpstreamTask[]> {
    const { json } = await requestJson({ method: 'POST', url: `${ch.baseUrl}/mj/task/list-by-condition`, headers: headers(ch), body: { ids }, timeoutMs });
    if (!Array.isArray(json)) throw new UpstreamError('upstream list-by-condition reply is not a list', true);
    return json.flatMap((item) => {
      const task = mjUpstreamTask.safeParse(item);
      return task.success ? [task.data] : [];
    });
  }

  /** One task, or null when the upstream does not know it (404, or an empty body). */
  async function fetchOne(ch: MjChannel, id: string): Promise<MjUpstreamTask | null> {
    try {
      const { json } = await requestJson({ method: 'GET', url: `${ch.baseUrl}/mj/task/${encodeURIComponent(id)}/fetch`, headers: headers(ch), timeoutMs });
      const task = mjUpstreamTask.safeParse(json);
      return task.success ? task.data : null;
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return null;
      throw err;
    }
  }

  /** The plus forks' image seed of one upstream task, as the upstream answered it (HTTP status included). */
  async function imageSeed(ch: MjChannel, id: string, seedTimeoutMs = Math.min(timeoutMs, 30_000)): Promise<{ status: number; reply: MjSubmitReply }> {
    const { status, json } = await requestJson({
      method: 'GET',
      url: `${ch.baseUrl}/mj/task/${encodeURIComponent(id)}/image-seed`,
      headers: headers(ch),
      timeoutMs: seedTimeoutMs,
    });
    const reply = mjSubmitReply.safeParse(json);
    if (!reply.success) throw new UpstreamError('upstream image-seed reply is not a midjourney-proxy reply', true);
    return { status, reply: reply.data };
  }

  return { submit, fetchMany, fetchOne, imageSeed };
}

export type MidjourneyClient = ReturnType<typeof createMidjourneyClient>;
