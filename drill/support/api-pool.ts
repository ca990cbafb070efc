import http from 'node:http';
import { sleep } from './wait';

/** How one attempt at one API ended. */
export type AttemptOutcome = 'ok' | 'unavailable' | 'refused' | 'reset' | 'error';

export interface Attempt {
  at: number;
  api: string;
  outcome: AttemptOutcome;
  status?: number;
}

export interface Reply {
  status: number;
  body: any;
  api: string;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Safe to send again after a connection broke mid-request (an Idempotency-Key, or a read).
   * Without it, only a refused connection (the request never arrived) is retried elsewhere.
   */
  idempotent?: boolean;
  /** Give up after this long. */
  timeoutMs?: number;
}

/**
 * The drill's client: what a load balancer in front of the APIs would do, done client-side.
 * Requests go round-robin to the APIs; a refused connection, a 503, or (for idempotent
 * requests) a broken one is retried on the next API after a short pause. Every attempt is
 * recorded, so the drill can count what was refused while something was down.
 */
export class ApiPool {
  readonly attempts: Attempt[] = [];
  /** Requests without an idempotency key whose connection broke after they were sent: not sent again. */
  ambiguous = 0;
  private next = 0;

  constructor(private readonly apis: () => string[]) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let last = '';
    for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
      const apis = this.apis();
      const api = apis[this.next++ % apis.length]!;
      try {
        const res = await send(method, `${api}${path}`, options);
        const text = res.text;
        if (res.status === 503) {
          this.attempts.push({ at: Date.now(), api, outcome: 'unavailable', status: 503 });
          last = `503 from ${api}: ${text.slice(0, 200)}`;
          await sleep(250);
          continue;
        }
        this.attempts.push({ at: Date.now(), api, outcome: res.status < 400 ? 'ok' : 'error', status: res.status });
        return { status: res.status, body: text ? JSON.parse(text) : null, api };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
        const refused = code === 'ECONNREFUSED';
        this.attempts.push({ at: Date.now(), api, outcome: refused ? 'refused' : 'reset' });
        last = `${code} from ${api}`;
        if (!refused && !options.idempotent) {
          this.ambiguous++;
          throw new AmbiguousRequest(`${method} ${path}: the connection to ${api} broke (${code}); it may have been done`);
        }
        await sleep(refused ? 100 : 250);
      }
    }
    throw new Error(`${method} ${path}: no API answered in time; last: ${last}`);
  }

  /** Attempts refused (503 or connection refused or broken) between two instants. */
  refusedBetween(from: number, to: number): number {
    return this.attempts.filter((a) => a.at >= from && a.at <= to && a.outcome !== 'ok' && a.outcome !== 'error').length;
  }
}

/** A request whose connection broke after it was sent: it may or may not have taken effect. */
export class AmbiguousRequest extends Error {}

/**
 * One request on a connection of its own (no keep-alive pool): a refused connection then
 * always means the request never arrived, and a broken one that it may have.
 */
function send(method: string, url: string, options: CallOptions): Promise<{ status: number; text: string }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: false,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', ...options.headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}
