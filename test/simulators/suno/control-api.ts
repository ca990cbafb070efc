import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { downSchema, settingsPatchSchema, type SimCore } from './core';
import { faultSchema, routeGroupSchema } from './faults';
import { parseJson, readBody, sendError, sendOk, sendTooLarge } from './http';
import { safeDecode } from './suno-api';

export const CONTROL_PREFIX = '/__sim';

const faultsBodySchema = z.strictObject({ group: routeGroupSchema, faults: z.array(faultSchema).max(1000) });
const downBodySchema = z.strictObject({ down: downSchema });
const failBodySchema = z.strictObject({ reason: z.string().optional() });

/**
 * Unauthenticated on purpose: it is for demos and test harnesses, and the
 * simulator only ever listens on 127.0.0.1. It ignores the down switch so an
 * outage can always be ended.
 */
export async function handleControl(core: SimCore, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (!body.ok) {
    if (body.reason === 'too_large') sendTooLarge(res);
    return;
  }
  const json = parseJson(body.text);
  if (!json.ok) return sendError(res, 400, 'request body is not valid JSON');
  const route = `${req.method ?? 'GET'} ${path.slice(CONTROL_PREFIX.length) || '/'}`;

  const parse = <T>(schema: z.ZodType<T>): T | undefined => {
    const r = schema.safeParse(json.value);
    if (r.success) return r.data;
    sendError(res, 400, z.prettifyError(r.error));
    return undefined;
  };

  switch (route) {
    case 'GET /health':
      return sendOk(res, { url: core.baseUrl });
    case 'GET /stats':
      return sendOk(res, core.stats.snapshot());
    case 'POST /stats/reset':
      core.stats.reset();
      return sendOk(res, core.stats.snapshot());
    case 'GET /faults':
      return sendOk(res, core.faults.pending());
    case 'POST /faults': {
      const b = parse(faultsBodySchema);
      if (!b) return;
      core.faults.push(b.group, b.faults);
      return sendOk(res, core.faults.pending());
    }
    case 'DELETE /faults':
      core.faults.clear();
      return sendOk(res, core.faults.pending());
    case 'GET /down':
      return sendOk(res, { down: core.down });
    case 'POST /down': {
      const b = parse(downBodySchema);
      if (!b) return;
      core.setDown(b.down);
      return sendOk(res, { down: core.down });
    }
    case 'GET /config':
      return sendOk(res, core.settings());
    case 'POST /config': {
      const b = parse(settingsPatchSchema);
      if (!b) return;
      core.configure(b);
      return sendOk(res, core.settings());
    }
    case 'GET /tasks':
      return sendOk(res, core.store.all());
    case 'POST /reset':
      core.reset();
      return sendOk(res, null);
  }

  const taskRoute = /^(GET|POST) \/tasks\/([^/]+)(?:\/(complete|fail))?$/.exec(route);
  const id = taskRoute ? safeDecode(taskRoute[2]!) : undefined;
  if (!taskRoute || id === undefined) return sendError(res, 404, `no control route ${route}`);
  const [, method, , verb] = taskRoute;
  if (!core.store.has(id)) return sendError(res, 404, `unknown task ${id}`);
  if (method === 'GET' && !verb) {
    return sendOk(res, { outcome: core.store.outcomeOf(id), task: core.store.inspect(id) });
  }
  if (method !== 'POST' || !verb) return sendError(res, 404, `no control route ${route}`);
  const reason: { reason?: string } | undefined = verb === 'fail' ? parse(failBodySchema) : {};
  if (!reason) return;
  try {
    const status = verb === 'complete' ? 'SUCCESS' : 'FAILURE';
    return sendOk(res, core.store.force(id, status, reason.reason));
  } catch (err) {
    return sendError(res, 409, (err as Error).message, 'conflict');
  }
}
