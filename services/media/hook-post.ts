import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { categorizeAddress } from './address-policy';
import { defaultLookup, normalizeHost, pinnedLookup, type Lookup, type ResolvedAddress } from './image-target';

/**
 * Outbound POSTs to URLs our users chose (Midjourney `notifyHook`), behind the same
 * guard as image forwarding: only http(s) without credentials, every resolved address
 * public unless the host is explicitly allowed, and the socket connected to the vetted
 * address so DNS cannot switch the target between the check and the connect.
 */

export type HookFailure = 'bad_url' | 'blocked' | 'unreachable' | 'timeout' | 'status';

export class HookError extends Error {
  constructor(
    readonly kind: HookFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HookError';
  }
}

export interface HookGuard {
  /** `host` or `host:port` (as `new URL(..).host` spells it) allowed to be private. */
  allowedHosts: readonly string[];
  lookup?: Lookup;
}

/** The URL parsed and its host vetted; throws HookError `bad_url`, `blocked` or `unreachable`. */
export async function vetHook(raw: string, guard: HookGuard): Promise<{ url: URL; addresses: readonly ResolvedAddress[] }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HookError('bad_url', 'is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HookError('bad_url', `scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) throw new HookError('bad_url', 'must not carry credentials');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly ResolvedAddress[];
  const literal = net.isIP(hostname);
  if (literal) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await (guard.lookup ?? defaultLookup)(hostname);
    } catch (err) {
      throw new HookError('unreachable', `cannot resolve ${hostname}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    if (addresses.length === 0) throw new HookError('unreachable', `${hostname} resolves to no address`);
  }
  const allowed = guard.allowedHosts.map(normalizeHost);
  if (allowed.includes(url.host) || allowed.includes(url.hostname)) return { url, addresses };
  for (const { address } of addresses) {
    const category = categorizeAddress(address);
    if (category !== 'public') throw new HookError('blocked', `${url.host} ${literal ? 'is' : 'resolves to'} a ${category} address`);
  }
  return { url, addresses };
}

/** Most response bytes read (and discarded) so the connection can close cleanly. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One POST of `body` to the hook; resolves with the 2xx status, throws HookError otherwise.
 * Redirects are not followed: a hook is a fixed endpoint, and each hop would need vetting.
 */
export async function postHook(raw: string, body: string, headers: Record<string, string>, guard: HookGuard & { timeoutMs: number }): Promise<number> {
  const { url, addresses } = await vetHook(raw, guard);
  return new Promise<number>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request({
      method: 'POST',
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      headers: { host: url.host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'taskhub-notify', ...headers },
      lookup: pinnedLookup(addresses),
      agent: false,
      timeout: guard.timeoutMs,
    });
    const timer = setTimeout(() => req.destroy(new HookError('timeout', `no answer within ${guard.timeoutMs} ms`)), guard.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err instanceof HookError ? err : new HookError('unreachable', `hook unreachable: ${err.message}`));
    };
    req.on('timeout', () => req.destroy(new HookError('timeout', `no answer within ${guard.timeoutMs} ms`)));
    req.on('error', fail);
    req.once('response', (res) => {
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('error', () => undefined);
      res.once('close', () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(status);
        else reject(new HookError('status', `hook answered ${status}`, status));
      });
    });
    req.end(body);
  });
}
