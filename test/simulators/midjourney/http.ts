import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleepTimer } from 'node:timers/promises';

/** blend/imagine carry base64 images; anything bigger than this is a client bug worth a 413. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Upper bound for any scripted delay, so a typo cannot park a request for hours. */
export const MAX_DELAY_MS = 10 * 60 * 1000;

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: number; message: string };

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const buf = c as Buffer;
    size += buf.length;
    if (size > limit) return { ok: false, status: 413, message: `body larger than ${limit} bytes` };
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid JSON' };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Resolves false instead of throwing when the request or the simulator goes away mid-wait. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  const bounded = Math.min(Math.max(0, ms), MAX_DELAY_MS);
  if (bounded === 0) return !signal.aborted;
  try {
    await sleepTimer(bounded, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
