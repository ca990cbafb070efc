import { z } from 'zod';
import { ROUTE_GROUPS, MAX_QUEUED } from './faults';
import { MAX_DELAY_MS, readJsonBody, sendJson } from './http';
import { MAX_BUFFERED_IMAGE_BYTES } from './png';
import type { RequestContext } from './server';
import { DEFAULT_FAIL_REASON } from './tasks';

const count = z.number().int().min(1).max(MAX_QUEUED).default(1);
const delay = z.number().int().min(0).max(MAX_DELAY_MS);
const outcome = z.enum(['success', 'fail', 'stall', 'drop', 'chatty']);

const schemas = {
  down: z.object({ down: z.boolean() }),
  // Flat on purpose so a demo can do: curl -d '{"group":"list","status":429,"count":2}'.
  fault: z
    .object({
      group: z.enum(ROUTE_GROUPS as [string, ...string[]]),
      count,
      status: z.number().int().min(100).max(599).optional(),
      garbage: z.boolean().optional(),
      delayMs: delay.optional(),
      reset: z.boolean().optional(),
      body: z.string().optional(),
    })
    .refine((f) => f.status !== undefined || f.garbage || f.delayMs !== undefined || f.reset, 'a fault needs status, garbage, delayMs or reset'),
  submitCode: z.object({ code: z.number().int(), count, description: z.string().optional() }),
  outcome: z.object({ outcome, next: z.number().int().min(1).max(MAX_QUEUED).optional() }),
  image: z.object({
    bytes: z.number().int().min(1).max(MAX_BUFFERED_IMAGE_BYTES).optional(),
    delayMs: delay.optional(),
    chunkDelayMs: delay.optional(),
    hugeBytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    omitContentLength: z.boolean().optional(),
  }),
  bannedWords: z.object({ words: z.array(z.string()).max(1000) }),
  fail: z.object({ reason: z.string().optional() }),
};

const HELP = {
  description: 'midjourney-proxy simulator control API (no auth)',
  endpoints: [
    'GET    /__sim/stats',
    'DELETE /__sim/stats',
    'POST   /__sim/down            {"down": true}',
    'POST   /__sim/faults          {"group": "submit|list|fetch|image|seed", "status"?: 429, "garbage"?: true, "delayMs"?: 500, "reset"?: true, "body"?: "...", "count"?: 1}',
    'DELETE /__sim/faults',
    'POST   /__sim/submit-codes    {"code": 23, "count"?: 1, "description"?: "..."}',
    'POST   /__sim/outcome         {"outcome": "success|fail|stall|drop|chatty", "next"?: N}  (without next: the default)',
    'POST   /__sim/image           {"bytes"?, "delayMs"?, "chunkDelayMs"?, "hugeBytes"?: N|null, "omitContentLength"?}',
    'POST   /__sim/banned-words    {"words": ["..."]}',
    'GET    /__sim/tasks',
    'GET    /__sim/tasks/:id',
    'POST   /__sim/tasks/:id/complete',
    'POST   /__sim/tasks/:id/fail  {"reason"?: "..."}',
    'POST   /__sim/reset',
  ],
  promptMarkers: ['[sim:fail]', '[sim:stall]', '[sim:drop]', '[sim:chatty]', '[sim:success]'],
};

async function parse<T extends z.ZodType>(ctx: RequestContext, schema: T): Promise<z.infer<T> | undefined> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) {
    sendJson(ctx.res, body.status, { error: body.message }, { connection: 'close' });
    return undefined;
  }
  const r = schema.safeParse(body.value);
  if (!r.success) {
    sendJson(ctx.res, 400, { error: z.prettifyError(r.error) });
    return undefined;
  }
  return r.data;
}

export async function handleControl(ctx: RequestContext, path: string): Promise<void> {
  const { state, res } = ctx;
  const method = ctx.req.method ?? 'GET';
  const key = `${method} ${path.replace(/\/+$/, '') || '/'}`;
  switch (key) {
    case 'GET /__sim':
      return sendJson(res, 200, HELP);
    case 'GET /__sim/stats':
      return sendJson(res, 200, { ...state.stats.snapshot(), pendingFaults: state.faults.pending(), pendingSubmitCodes: state.submitCodes.size });
    case 'DELETE /__sim/stats':
    case 'POST /__sim/stats/reset':
      state.stats.reset();
      return sendJson(res, 200, { ok: true });
    case 'POST /__sim/down': {
      const b = await parse(ctx, schemas.down);
      if (!b) return;
      state.down = b.down;
      return sendJson(res, 200, { ok: true, down: state.down });
    }
    case 'POST /__sim/faults': {
      const b = await parse(ctx, schemas.fault);
      if (!b) return;
      const { group, count: n, ...fault } = b;
      state.faults.push(group as (typeof ROUTE_GROUPS)[number], fault, n);
      return sendJson(res, 200, { ok: true, pending: state.faults.pending() });
    }
    case 'DELETE /__sim/faults':
      state.faults.clear();
      return sendJson(res, 200, { ok: true });
    case 'POST /__sim/submit-codes': {
      const b = await parse(ctx, schemas.submitCode);
      if (!b) return;
      state.submitCodes.push({ code: b.code, description: b.description }, b.count);
      return sendJson(res, 200, { ok: true, pending: state.submitCodes.size });
    }
    case 'POST /__sim/outcome': {
      const b = await parse(ctx, schemas.outcome);
      if (!b) return;
      if (b.next !== undefined) state.outcomes.push(b.outcome, b.next);
      else state.defaultOutcome = b.outcome;
      return sendJson(res, 200, { ok: true, defaultOutcome: state.defaultOutcome, queued: state.outcomes.size });
    }
    case 'POST /__sim/image': {
      const b = await parse(ctx, schemas.image);
      if (!b) return;
      state.setImage(b);
      return sendJson(res, 200, { ok: true, image: state.image });
    }
    case 'POST /__sim/banned-words': {
      const b = await parse(ctx, schemas.bannedWords);
      if (!b) return;
      state.bannedWords = [...b.words];
      return sendJson(res, 200, { ok: true, words: state.bannedWords });
    }
    case 'GET /__sim/tasks':
      return sendJson(
        res,
        200,
        state.store.all().map((t) => state.store.view(t)),
      );
    case 'POST /__sim/reset':
      state.reset();
      return sendJson(res, 200, { ok: true });
    default:
      return taskControl(ctx, method, path);
  }
}

async function taskControl(ctx: RequestContext, method: string, path: string): Promise<void> {
  const { state, res } = ctx;
  const m = /^\/__sim\/tasks\/([^/]+)(?:\/(complete|fail))?\/?$/.exec(path);
  const rec = m ? state.store.get(decodeURIComponent(m[1]!)) : undefined;
  if (!m) return sendJson(res, 404, { error: `no control route ${method} ${path}`, help: 'GET /__sim' });
  if (!rec) return sendJson(res, 404, { error: `task ${m[1]} not found` });
  if (method === 'GET' && !m[2]) return sendJson(res, 200, state.store.view(rec));
  if (method === 'POST' && m[2] === 'complete') {
    state.store.complete(rec);
    return sendJson(res, 200, state.store.view(rec));
  }
  if (method === 'POST' && m[2] === 'fail') {
    const b = await parse(ctx, schemas.fail);
    if (!b) return;
    state.store.fail(rec, b.reason ?? DEFAULT_FAIL_REASON);
    return sendJson(res, 200, state.store.view(rec));
  }
  return sendJson(res, 405, { error: `${method} not allowed on ${path}` });
}
