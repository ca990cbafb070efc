import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Envelope } from './types';

// Real Suno bodies are a few hundred bytes; anything near this is a client bug worth surfacing.
export const MAX_BODY_BYTES = 1024 * 1024;

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'request_too_large',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function codeForStatus(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendOk<T>(res: ServerResponse, data: T): void {
  const body: Envelope<T> = { code: 'success', message: '', data };
  sendJson(res, 200, body);
}

export function sendError(res: ServerResponse, status: number, message: string, code = codeForStatus(status)): void {
  const body: Envelope<null> = { code, message, data: null };
  sendJson(res, status, body);
}

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' };

/** Stops buffering past `limit` but leaves the socket alive so a 413 can still be written. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

/** Answers 413 and then closes the connection, because the unread rest of the body would poison keep-alive. */
export function sendTooLarge(res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.on('finish', () => res.socket?.destroy());
  sendError(res, 413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
}

/** Empty bodies count as `{}` because Go's Suno-API binds them to a zero-valued struct. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Resolves false when the simulator is stopping, so slow-fault handlers never outlive stop(). */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
