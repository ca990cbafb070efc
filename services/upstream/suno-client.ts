import { z } from 'zod';
import { TASK_STATUSES } from '../../domain';
import { requestJson, UpstreamError } from './http';

export interface SunoChannel {
  baseUrl: string;
  key: string;
}

/** A task as Suno-API reports it (times in seconds). */
export const sunoUpstreamTask = z.object({
  task_id: z.string(),
  action: z.string().optional(),
  status: z.enum(TASK_STATUSES).catch('UNKNOWN'),
  fail_reason: z.string().nullish(),
  submit_time: z.number().nullish(),
  start_time: z.number().nullish(),
  finish_time: z.number().nullish(),
  data: z.unknown().optional(),
});
export type SunoUpstreamTask = z.infer<typeof sunoUpstreamTask>;

const envelope = z.object({ code: z.string(), message: z.string().nullish(), data: z.unknown() });

function unwrap(json: unknown): unknown {
  const parsed = envelope.safeParse(json);
  if (!parsed.success) throw new UpstreamError('upstream reply is not a Suno-API envelope', true);
  if (parsed.data.code !== 'success') throw new UpstreamError(`upstream error ${parsed.data.code}: ${parsed.data.message ?? ''}`.trim(), true);
  return parsed.data.data;
}

/** Thin client for Suno-API (github.com/Suno-API/Suno-API), the upstream of channel type 36. */
export function createSunoClient(timeoutMs: number) {
  const headers = (ch: SunoChannel) => ({ authorization: `Bearer ${ch.key}` });

  async function submit(ch: SunoChannel, action: 'music' | 'lyrics', body: Record<string, unknown>): Promise<string> {
    const { json } = await requestJson({ method: 'POST', url: `${ch.baseUrl}/suno/submit/${action}`, headers: headers(ch), body, timeoutMs });
    const id = unwrap(json);
    if (typeof id !== 'string' || !id) throw new UpstreamError('upstream accepted the task but returned no task id', true);
    return id;
  }

  /** Many tasks in one request; ids the upstream does not know are simply absent. */
  async function fetchMany(ch: SunoChannel, ids: string[]): Promise<SunoUpstreamTask[]> {
    const { json } = await requestJson({ method: 'POST', url: `${ch.baseUrl}/suno/fetch`, headers: headers(ch), body: { ids }, timeoutMs });
    const list = z.array(z.unknown()).safeParse(unwrap(json));
    if (!list.success) throw new UpstreamError('upstream fetch reply data is not a list', true);
    return list.data.flatMap((item) => {
      const task = sunoUpstreamTask.safeParse(item);
      return task.success ? [task.data] : [];
    });
  }

  /** One task, or null when the upstream says it does not know it. */
  async function fetchOne(ch: SunoChannel, id: string): Promise<SunoUpstreamTask | null> {
    try {
      const { json } = await requestJson({ method: 'GET', url: `${ch.baseUrl}/suno/fetch/${encodeURIComponent(id)}`, headers: headers(ch), timeoutMs });
      const task = sunoUpstreamTask.safeParse(unwrap(json));
      return task.success ? task.data : null;
    } catch (err) {
      if (err instanceof UpstreamError && err.status === 404) return null;
      throw err;
    }
  }

  return { submit, fetchMany, fetchOne };
}

export type SunoClient = ReturnType<typeof createSunoClient>;
