import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimCore } from './core';
import { outcomeFromText, serveFault } from './faults';
import { parseJson, readBody, sendError, sendOk, sendTooLarge } from './http';
import type { MusicSubmission, Submission } from './tasks';
import type { RouteGroup, StatRoute, SunoTask } from './types';

// Go's encoding/json leaves absent fields at their zero value; nulls get the same treatment here.
const str = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

const musicBodySchema = z.object({
  prompt: str,
  gpt_description_prompt: str,
  mv: str,
  title: str,
  tags: str,
  make_instrumental: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  continue_at: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  continue_clip_id: str,
  task_id: str,
});

const lyricsBodySchema = z.object({ prompt: str });

// Bounded so one request cannot make the simulator walk an unbounded list.
const MAX_IDS_PER_FETCH = 10_000;
const fetchBodySchema = z.object({
  ids: z
    .array(z.string())
    .max(MAX_IDS_PER_FETCH)
    .nullish()
    .transform((v) => v ?? []),
  action: z.string().nullish(),
});

export type SunoRoute = { kind: 'submit'; action: string } | { kind: 'fetch_batch' } | { kind: 'fetch_one'; id: string };

export function matchSunoRoute(method: string, path: string): SunoRoute | undefined {
  if (method === 'POST') {
    const submit = /^\/suno\/submit\/([^/]+)\/?$/.exec(path);
    const action = submit ? safeDecode(submit[1]!) : undefined;
    if (action !== undefined) return { kind: 'submit', action };
    if (path === '/suno/fetch' || path === '/suno/fetch/') return { kind: 'fetch_batch' };
  }
  if (method === 'GET') {
    const one = /^\/suno\/fetch\/([^/]+)$/.exec(path);
    const id = one ? safeDecode(one[1]!) : undefined;
    if (id !== undefined) return { kind: 'fetch_one', id };
  }
  return undefined;
}

// A malformed escape is a path that matches nothing, not a server error.
export function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const GROUP: Record<SunoRoute['kind'], RouteGroup> = { submit: 'submit', fetch_batch: 'fetch', fetch_one: 'fetch' };

/**
 * Gate order mirrors a real deployment: count the request, then the
 * outage switch, then auth, then whatever faults the gateway in front injects.
 */
export async function handleSuno(core: SimCore, route: SunoRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') sendTooLarge(res);
    return;
  }
  const parsed = parseJson(body.text);
  record(core, route, parsed.ok ? parsed.value : undefined);

  if (core.down === 'destroy') {
    res.destroy();
    return;
  }
  if (core.down) {
    sendError(res, 503, 'simulated upstream outage');
    return;
  }
  if (!core.authorized(req.headers.authorization)) {
    core.stats.unauthorized();
    sendError(res, 401, 'unauthorized secret token', 'unauthorized');
    return;
  }
  const fault = core.faults.take(GROUP[route.kind]);
  if (fault) {
    core.stats.faultServed();
    const result = await serveFault(fault, res, core.lifetime.signal);
    if (result !== 'proceed') return;
  }

  if (route.kind === 'fetch_one') {
    const task = core.store.visible(route.id);
    if (task) sendOk(res, task);
    else sendError(res, 404, 'task not exist', 'not_found');
    return;
  }
  if (!parsed.ok) {
    sendError(res, 400, 'request body is not valid JSON');
    return;
  }
  if (route.kind === 'fetch_batch') fetchBatch(core, parsed.value, res);
  else submit(core, route.action, parsed.value, res);
}

function record(core: SimCore, route: SunoRoute, body: unknown): void {
  const stat: StatRoute = route.kind;
  core.stats.request(stat);
  if (route.kind !== 'fetch_batch') return;
  const ids = fetchBodySchema.safeParse(body);
  // One entry per request keeps fetchBatches aligned with the fetch_batch counter.
  core.stats.batch(ids.success ? ids.data.ids : []);
}

function fetchBatch(core: SimCore, body: unknown, res: ServerResponse): void {
  const parsed = fetchBodySchema.safeParse(body);
  if (!parsed.success) {
    sendError(res, 400, z.prettifyError(parsed.error));
    return;
  }
  const seen = new Set<string>();
  const tasks: SunoTask[] = [];
  for (const id of parsed.data.ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const task = core.store.visible(id);
    if (task) tasks.push(task);
  }
  sendOk(res, tasks);
}

function submit(core: SimCore, rawAction: string, body: unknown, res: ServerResponse): void {
  // new-api upper-cases the action before building the URL, so /suno/submit/MUSIC must work too.
  const action = rawAction.toUpperCase();
  let submission: Submission;
  if (action === 'MUSIC') {
    const parsed = musicBodySchema.safeParse(body);
    if (!parsed.success) return sendError(res, 400, z.prettifyError(parsed.error));
    const b = parsed.data;
    // Same rule as Suno-API: continuing a clip needs the task it came from.
    if (b.continue_clip_id !== '' && b.task_id === '') return sendError(res, 400, 'task_id is empty');
    const music: MusicSubmission = {
      action: 'MUSIC',
      prompt: b.prompt,
      gpt_description_prompt: b.gpt_description_prompt,
      mv: b.mv,
      title: b.title,
      tags: b.tags,
      make_instrumental: b.make_instrumental,
      continue_at: b.continue_at,
      continue_clip_id: b.continue_clip_id,
    };
    submission = music;
  } else if (action === 'LYRICS') {
    const parsed = lyricsBodySchema.safeParse(body);
    if (!parsed.success) return sendError(res, 400, z.prettifyError(parsed.error));
    if (parsed.data.prompt.trim() === '') return sendError(res, 400, 'prompt is empty');
    submission = { action: 'LYRICS', prompt: parsed.data.prompt };
  } else {
    return sendError(res, 400, 'invalid action');
  }

  const texts = submission.action === 'MUSIC' ? [submission.prompt, submission.gpt_description_prompt] : [submission.prompt];
  const settings = core.settings();
  const outcome = outcomeFromText(...texts) ?? settings.defaultOutcome;
  const task = core.store.create(submission, outcome, settings.stepMs);
  sendOk(res, task.task_id);
}
