/**
 * What went wrong talking to an upstream, classified the way the retry policy
 * needs it: `retryable` for rate limits, 5xx, timeouts, resets and garbage;
 * not retryable when the upstream says the request itself is bad (other 4xx).
 */
export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** One JSON request with a hard time limit; every failure becomes an UpstreamError. */
export async function requestJson(req: UpstreamRequest): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { accept: 'application/json', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new UpstreamError(timedOut ? `upstream did not answer within ${req.timeoutMs} ms` : `upstream unreachable: ${(err as Error).message}`, true);
  }
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status === 429 || res.status >= 500) throw new UpstreamError(`upstream answered ${res.status}${describe(json)}`, true, res.status);
  if (res.status >= 400) throw new UpstreamError(`upstream refused the request (${res.status})${describe(json)}`, false, res.status);
  if (json === undefined) throw new UpstreamError(`upstream answered ${res.status} with a body that is not JSON`, true, res.status);
  return { status: res.status, json };
}

function describe(json: unknown): string {
  const msg = (json as { message?: unknown; description?: unknown } | undefined)?.message ?? (json as { description?: unknown } | undefined)?.description;
  return typeof msg === 'string' && msg ? `: ${msg.slice(0, 300)}` : '';
}
