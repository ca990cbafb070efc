import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleControl } from './control';
import { GARBAGE_BODY } from './faults';
import { readJsonBody, sendJson, sendText, sleep } from './http';
import type { SimState } from './state';
import type { CountedRoute } from './stats';
import { CODE, handleSubmit, isSubmitRoute } from './submit';
import type { RequestFault, RouteGroup } from './types';

const IMAGE_CHUNK = 64 * 1024;

interface Route {
  group: RouteGroup | null;
  counted: CountedRoute;
  method: string[];
  needsAuth: boolean;
  handle: (ctx: RequestContext) => Promise<void> | void;
}

export interface RequestContext {
  state: SimState;
  req: IncomingMessage;
  res: ServerResponse;
  /** Aborted when the client goes away or the simulator stops; every wait listens to it. */
  signal: AbortSignal;
}

// The plus forks also serve the API under a speed-mode prefix (/mj-fast/mj/...); new-api may call either.
const MODE_PREFIX = /^\/mj-(fast|relax|turbo)(?=\/mj\/)/;

function route(path: string): Route | null {
  let m: RegExpExecArray | null;
  const submitMatch = /^\/mj\/submit\/([a-z-]+)$/.exec(path);
  const submitName = path === '/mj/insight-face/swap' ? 'swap-face' : submitMatch ? submitMatch[1]! : null;
  if (submitName && isSubmitRoute(submitName)) {
    const name = submitName;
    return {
      group: 'submit',
      counted: 'submit',
      method: ['POST'],
      needsAuth: true,
      handle: async (ctx) => {
        ctx.state.stats.submitRoute(name);
        const body = await readJsonBody(ctx.req);
        if (!body.ok) return sendJson(ctx.res, body.status, { code: body.status, description: body.message }, { connection: 'close' });
        sendJson(ctx.res, 200, handleSubmit(ctx.state, name, body.value));
      },
    };
  }
  if (path === '/mj/task/list-by-condition') {
    return { group: 'list', counted: 'list_by_condition', method: ['POST'], needsAuth: true, handle: listByCondition };
  }
  if ((m = /^\/mj\/task\/([^/]+)\/fetch$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    return {
      group: 'fetch',
      counted: 'fetch_one',
      method: ['GET'],
      needsAuth: true,
      handle: (ctx) => {
        const rec = ctx.state.store.visible(id);
        if (!rec) return sendJson(ctx.res, 404, { code: 404, description: `task ${id} not found` });
        sendJson(ctx.res, 200, ctx.state.store.view(rec));
      },
    };
  }
  if ((m = /^\/mj\/task\/([^/]+)\/image-seed$/.exec(path))) {
    const id = decodeURIComponent(m[1]!);
    return {
      group: 'seed',
      counted: 'image_seed',
      method: ['GET'],
      needsAuth: true,
      handle: (ctx) => {
        const rec = ctx.state.store.visible(id);
        if (!rec) return sendJson(ctx.res, 200, { code: CODE.NOT_FOUND, description: '任务不存在', result: null, properties: {} });
        const seed = ctx.state.store.seed(rec);
        if (seed === null) return sendJson(ctx.res, 200, { code: CODE.VALIDATION_ERROR, description: '任务未完成', result: null, properties: {} });
        sendJson(ctx.res, 200, { code: CODE.SUCCESS, description: '成功', result: seed, properties: {} });
      },
    };
  }
  if ((m = /^\/mj\/image-bytes\/([^/]+)$/.exec(path))) {
    const file = decodeURIComponent(m[1]!);
    // Image URLs point at a CDN in production, which needs no secret.
    return { group: 'image', counted: 'image', method: ['GET', 'HEAD'], needsAuth: false, handle: (ctx) => serveImage(ctx, file) };
  }
  return null;
}

async function listByCondition(ctx: RequestContext): Promise<void> {
  const body = await readJsonBody(ctx.req);
  if (!body.ok) return sendJson(ctx.res, body.status, { code: body.status, description: body.message }, { connection: 'close' });
  const raw = (body.value as { ids?: unknown } | null)?.ids;
  // midjourney-proxy answers [] rather than an error when ids is missing.
  const ids = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
  ctx.state.stats.listCall(ids.length);
  const seen = new Set<string>();
  const out = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const rec = ctx.state.store.visible(id);
    if (rec) out.push(ctx.state.store.view(rec));
  }
  sendJson(ctx.res, 200, out);
}

async function serveImage(ctx: RequestContext, file: string): Promise<void> {
  const { state, req, res, signal } = ctx;
  const m = /^([A-Za-z0-9_-]+)\.png$/.exec(file);
  if (!m || !state.store.visible(m[1]!)) return sendJson(res, 404, { code: 404, description: 'image not found' });
  const img = state.image;
  if (img.delayMs > 0 && !(await sleep(img.delayMs, signal))) return void res.destroy();
  const png = state.pngBytes();
  const total = img.hugeBytes ?? png.length;
  const headers: Record<string, string | number> = { 'content-type': 'image/png', 'cache-control': 'no-store' };
  if (!img.omitContentLength) headers['content-length'] = total;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  if (img.hugeBytes === null && img.chunkDelayMs === 0) {
    state.stats.imageBytes(png.length);
    return void res.end(png);
  }
  await streamImage(ctx, png, total, img.chunkDelayMs);
}

/** Chunked writer for slow and huge images; honours backpressure so a 10 GiB "image" never sits in memory. */
async function streamImage(ctx: RequestContext, png: Buffer, total: number, chunkDelayMs: number): Promise<void> {
  const { res, signal, state } = ctx;
  const filler = Buffer.alloc(IMAGE_CHUNK, 0);
  const chunks = Math.ceil(total / IMAGE_CHUNK);
  for (let i = 0, offset = 0; i < chunks && offset < total; i++) {
    if (signal.aborted) return void res.destroy();
    const len = Math.min(IMAGE_CHUNK, total - offset);
    const chunk = offset < png.length ? png.subarray(offset, Math.min(png.length, offset + len)) : filler.subarray(0, len);
    offset += chunk.length;
    state.stats.imageBytes(chunk.length);
    if (!res.write(chunk)) {
      try {
        await once(res, 'drain', { signal });
      } catch {
        return void res.destroy();
      }
    }
    if (chunkDelayMs > 0 && !(await sleep(chunkDelayMs, signal))) return void res.destroy();
  }
  res.end();
}

async function applyFault(ctx: RequestContext, fault: RequestFault): Promise<boolean> {
  if (fault.delayMs && !(await sleep(fault.delayMs, ctx.signal))) {
    ctx.res.destroy();
    return true;
  }
  if (fault.reset) {
    ctx.req.socket.destroy();
    return true;
  }
  if (fault.garbage) {
    // Claims JSON on purpose: the relay must not trust content-type.
    sendText(ctx.res, 200, fault.body ?? GARBAGE_BODY, 'application/json;charset=UTF-8');
    return true;
  }
  if (fault.status !== undefined) {
    const headers: Record<string, string> = fault.status === 429 || fault.status === 503 ? { 'retry-after': '1' } : {};
    if (fault.body !== undefined) {
      sendText(ctx.res, fault.status, fault.body, 'text/plain;charset=UTF-8');
    } else {
      sendJson(ctx.res, fault.status, { code: fault.status, description: `simulated HTTP ${fault.status}` }, headers);
    }
    return true;
  }
  return false;
}

/** Order of checks: count → down switch → scripted fault → auth → handler. */
export async function handleRequest(ctx: RequestContext): Promise<void> {
  const { state, req, res } = ctx;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.replace(MODE_PREFIX, '');
  if (path === '/__sim' || path.startsWith('/__sim/')) return handleControl(ctx, path);

  const method = req.method ?? 'GET';
  const r = route(path);
  state.stats.request(r ? r.counted : 'other');
  if (state.down) {
    return sendJson(res, 503, { code: 503, description: 'simulated outage (down switch)' }, { 'retry-after': '1' });
  }
  if (!r) return sendJson(res, 404, { code: 404, description: `no route ${method} ${path}` });
  if (!r.method.includes(method)) return sendJson(res, 405, { code: 405, description: `${method} not allowed` });
  const fault = r.group ? state.faults.take(r.group) : undefined;
  if (fault && (await applyFault(ctx, fault))) return;
  if (r.needsAuth && req.headers['mj-api-secret'] !== state.options.secret) {
    state.stats.unauthorized();
    return sendJson(res, 401, { code: 401, description: 'mj-api-secret missing or wrong' });
  }
  await r.handle(ctx);
}
