/**
 * taskhub's public API, called exactly as any REST client would: same-origin paths, the
 * dashboard's access token as `Authorization: Bearer …` on `/api/*`, an `sk-` key on the
 * relay routes, each family's own envelope unwrapped here.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** Overrides the session's access token (relay calls pass an sk- key). */
  token?: string | null;
  signal?: AbortSignal;
}

let accessToken: string | null = null;
let onUnauthorized: (() => void) | undefined;

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

/** Called when a dashboard call answers 401: the session is over (token rotated or revoked). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, options: RequestOptions): Promise<{ res: Response; json: unknown }> {
  const token = options.token === undefined ? accessToken : options.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(withQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, `${res.status} ${res.statusText}: not JSON`);
  }
  if (res.status === 401 && options.token === undefined && onUnauthorized) onUnauthorized();
  return { res, json };
}

interface NewApiEnvelope<T> {
  success: boolean;
  message: string;
  data: T;
}

/** new-api family (`/api/*`): `{success, message, data}`. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { res, json } = await send(path, options);
  const env = json as NewApiEnvelope<T> | undefined;
  if (!res.ok || !env?.success) throw new ApiError(res.status, env?.message || `${res.status} ${res.statusText}`, json);
  return env.data;
}

interface TikMatrixEnvelope<T> {
  code: number;
  message: string;
  data: T;
}

/** TikMatrix family (`/api/v1/*`): `{code: 0, message, data}`. */
export async function tikmatrix<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { res, json } = await send(path, options);
  const env = json as TikMatrixEnvelope<T> | undefined;
  if (!res.ok || env?.code !== 0) throw new ApiError(res.status, env?.message || `${res.status} ${res.statusText}`, json);
  return env.data;
}

/** new-api's Suno relay (`/suno/*`, with an sk- key): `{code: "success", message, data}`. */
export async function sunoRelay<T>(path: string, key: string, body?: unknown): Promise<T> {
  const { res, json } = await send(path, { method: body === undefined ? 'GET' : 'POST', body, token: key });
  const env = json as { code: string; message: string; data: T } | undefined;
  if (!res.ok || env?.code !== 'success') throw new ApiError(res.status, env?.message || `${res.status} ${res.statusText}`, json);
  return env.data;
}

export interface MjSubmitReply {
  code: number;
  description: string;
  result: string | null;
  properties: Record<string, unknown>;
}

/** midjourney-proxy relay (`/mj/*`, with an sk- key): 1 accepted, 21 modal, 22 queued; anything else is a refusal. */
export async function mjSubmit(route: string, key: string, body: unknown): Promise<MjSubmitReply> {
  const { json } = await send(`/mj/submit/${route}`, { method: 'POST', body, token: key });
  const reply = json as MjSubmitReply;
  if (![1, 21, 22].includes(reply?.code)) throw new ApiError(400, reply?.description || 'the submit was refused', json);
  return reply;
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
