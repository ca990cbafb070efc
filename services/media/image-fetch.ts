import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import { categorizeAddress } from './address-policy';

/**
 * Fetches a task's image from wherever the upstream says it lives, for
 * `GET /mj/image/:id`. The URL comes from an upstream we don't control, so it
 * is treated as hostile: only public addresses (unless the host is the
 * channel's own), the vetted address is the one connected to, every redirect
 * is vetted again, and time and size are bounded.
 */

export type ImageFetchErrorKind =
  | 'bad_url'
  | 'blocked'
  | 'unreachable'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'upstream_status'
  | 'not_image'
  | 'aborted';

export class ImageFetchError extends Error {
  constructor(
    readonly kind: ImageFetchErrorKind,
    message: string,
    /** The upstream's HTTP status, for `upstream_status`. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageFetchError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface ImageFetchOptions {
  /** Limit for everything up to the final response's headers, and separately for each wait on the next body chunk. */
  timeoutMs: number;
  /** Larger bodies are refused from Content-Length, or fail the stream once this many bytes have passed. */
  maxBytes: number;
  /**
   * Hosts allowed to resolve to non-public addresses: the channel's own, as
   * `new URL(baseUrl).host` spells it (lowercase, port only when not the default).
   */
  trustedHosts?: readonly string[];
  /** Defaults to 2. */
  maxRedirects?: number;
  /** Abort when the client that asked for the image goes away. */
  signal?: AbortSignal;
  /** Resolver seam (tests); defaults to `dns.promises.lookup(hostname, { all: true })`. */
  lookup?: (hostname: string) => Promise<readonly ResolvedAddress[]>;
}

export interface FetchedImage {
  /** The upstream's 2xx status. */
  status: number;
  /** Lowercase media type without parameters, always `image/…` and never SVG. */
  contentType: string;
  contentLength?: number;
  etag?: string;
  lastModified?: string;
  /** Fails with ImageFetchError `too_large`, `timeout`, `aborted` or `unreachable`; destroying it closes the upstream connection. */
  body: Readable;
}

const DEFAULT_MAX_REDIRECTS = 2;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SNIFF_BYTES = 12;
// Types that need no further thought to be served from our own origin. SVG is
// left out on purpose: it is a document that can run script.
const RASTER_TYPE = /^image\/(png|jpeg|pjpeg|gif|webp|avif|apng|bmp|x-icon|vnd\.microsoft\.icon|tiff|heic|heif)$/;
// What storage buckets send when nobody set a type; the bytes decide then.
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/binary']);

export async function fetchImage(url: string, options: ImageFetchOptions): Promise<FetchedImage> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const trusted = new Set((options.trustedHosts ?? []).map(normalizeHost));
  const lookup = options.lookup ?? defaultLookup;
  const phase = new HeaderPhase(options.timeoutMs, options.signal);
  try {
    let target = parseTarget(url);
    for (let redirects = 0; ; redirects++) {
      const addresses = await phase.race(() => vet(target, trusted, lookup));
      const res = await phase.race(() => send(target, addresses, phase));
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status) && res.headers.location) {
        res.destroy();
        if (redirects >= maxRedirects) throw new ImageFetchError('too_many_redirects', `upstream redirected more than ${maxRedirects} times`);
        target = parseTarget(res.headers.location, target);
        continue;
      }
      return await phase.race(() => accept(res, options, phase));
    }
  } finally {
    phase.end();
  }
}

function parseTarget(raw: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    throw new ImageFetchError('bad_url', 'image URL is not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new ImageFetchError('bad_url', `image URL scheme ${target.protocol} is not http or https`);
  if (target.username || target.password) throw new ImageFetchError('bad_url', 'image URL must not carry credentials');
  return target;
}

function normalizeHost(host: string): string {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}

function bareHostname(target: URL): string {
  return target.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function defaultLookup(hostname: string): Promise<readonly ResolvedAddress[]> {
  return dns.promises.lookup(hostname, { all: true });
}

/** Every address the host resolves to must pass, so a mixed answer can't slip a private one in. */
async function vet(target: URL, trusted: Set<string>, lookup: NonNullable<ImageFetchOptions['lookup']>): Promise<readonly ResolvedAddress[]> {
  const hostname = bareHostname(target);
  const literal = net.isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await lookup(hostname);
    } catch (err) {
      throw new ImageFetchError('unreachable', `cannot resolve ${hostname}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, { cause: err });
    }
    if (addresses.length === 0) throw new ImageFetchError('unreachable', `${hostname} resolves to no address`);
  }
  if (trusted.has(target.host)) return addresses;
  for (const { address } of addresses) {
    const category = categorizeAddress(address);
    if (category !== 'public') {
      throw new ImageFetchError('blocked', literal ? `image host ${target.host} is a ${category} address` : `image host ${target.host} resolves to a ${category} address`);
    }
  }
  return addresses;
}

/**
 * Hands the socket layer the addresses we vetted instead of letting it ask DNS
 * again, which could answer differently (rebinding). The hostname still goes
 * into the Host header and TLS SNI/certificate check.
 */
function pinnedLookup(addresses: readonly ResolvedAddress[]): net.LookupFunction {
  return (_hostname, opts, callback) => {
    const usable = opts.family ? addresses.filter((a) => a.family === opts.family) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error('no vetted address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (opts.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

function send(target: URL, addresses: readonly ResolvedAddress[], phase: HeaderPhase): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request({
      method: 'GET',
      hostname: bareHostname(target),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      headers: { host: target.host, accept: 'image/*', 'accept-encoding': 'identity', 'user-agent': 'taskhub-image-proxy' },
      lookup: pinnedLookup(addresses),
      // A pooled socket could have been opened to another address for the same
      // host name; a fresh one per request is connected to what we vetted.
      agent: false,
    });
    phase.track(req);
    req.once('response', resolve);
    // `on`, not `once`: a socket error after the response still reaches the request.
    req.on('error', (err) => {
      reject(err instanceof ImageFetchError ? err : new ImageFetchError('unreachable', `upstream unreachable: ${describe(err)}`, undefined, { cause: err }));
    });
    req.end();
  });
}

async function accept(res: http.IncomingMessage, options: ImageFetchOptions, phase: HeaderPhase): Promise<FetchedImage> {
  const refuse = (err: ImageFetchError): never => {
    res.destroy();
    throw err;
  };
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) refuse(new ImageFetchError('upstream_status', `upstream answered ${status}`, status));

  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') refuse(new ImageFetchError('not_image', `upstream sent the image ${encoding}-encoded although we asked for identity`));

  const declared = mediaType(res.headers['content-type']);
  if (!RASTER_TYPE.test(declared) && !UNTYPED.has(declared)) refuse(new ImageFetchError('not_image', `upstream content type ${declared || '(none)'} is not an image we serve`));

  const lengthHeader = res.headers['content-length'];
  const contentLength = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  if (contentLength !== undefined && contentLength > options.maxBytes) {
    refuse(new ImageFetchError('too_large', `upstream image is ${contentLength} bytes, more than the ${options.maxBytes} allowed`));
  }

  const bodyFrom = (head?: Buffer): BoundedBody => new BoundedBody(res, head, options.maxBytes, options.timeoutMs, options.signal);
  let contentType = declared;
  let body: BoundedBody;
  if (UNTYPED.has(declared)) {
    phase.track(res);
    const sniffed = await readHead(res, bodyFrom);
    body = sniffed.body;
    // Without the error: nobody listens on the body yet, and it must not emit one.
    phase.track({ destroy: () => sniffed.body.destroy() });
    const type = sniffed.head.length > options.maxBytes ? undefined : sniffImageType(sniffed.head);
    if (!type) {
      body.destroy();
      throw sniffed.head.length > options.maxBytes
        ? new ImageFetchError('too_large', `upstream image exceeded ${options.maxBytes} bytes`)
        : new ImageFetchError('not_image', `upstream content type ${declared || '(none)'} and the bytes are not a known image format`);
    }
    contentType = type;
  } else {
    body = bodyFrom();
  }
  return {
    status,
    contentType,
    contentLength,
    etag: headerValue(res.headers.etag),
    lastModified: headerValue(res.headers['last-modified']),
    body,
  };
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function headerValue(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads the first bytes for sniffing. The body that carries them on is built in
 * the same tick as the sniffer lets go of the response: the upstream's 'end'
 * may already be queued, and nobody would hear it a tick later.
 */
function readHead(res: http.IncomingMessage, bodyFrom: (head: Buffer) => BoundedBody): Promise<{ head: Buffer; body: BoundedBody }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const detach = (): void => {
      res.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      res.pause();
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < SNIFF_BYTES) return;
      detach();
      const head = Buffer.concat(chunks);
      resolve({ head, body: bodyFrom(head) });
    };
    // Nothing under a dozen bytes is an image, so a body that ends this early is refused
    // rather than re-delivered.
    const onEnd = (): void => {
      detach();
      reject(new ImageFetchError('not_image', `upstream body is only ${length} bytes`));
    };
    const onError = (err: Error): void => {
      detach();
      reject(err instanceof ImageFetchError ? err : new ImageFetchError('unreachable', `upstream closed the connection: ${describe(err)}`, undefined, { cause: err }));
    };
    const onClose = (): void => onError(new Error('connection closed'));
    res.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

export function sniffImageType(head: Buffer): string | undefined {
  const ascii = (start: number, end: number): string => head.subarray(start, end).toString('latin1');
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif';
  return undefined;
}

function describe(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}

/**
 * Time and cancellation up to the final response's headers: one deadline for
 * all hops, DNS included. On expiry or abort, whatever is in flight is
 * destroyed so its socket does not outlive the call.
 */
class HeaderPhase {
  private readonly failed: Promise<never>;
  private reject!: (err: ImageFetchError) => void;
  private failure: ImageFetchError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly inflight: { destroy(err?: Error): unknown }[] = [];
  private over = false;

  constructor(
    timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.failed = new Promise<never>((_resolve, reject) => (this.reject = reject));
    // Nobody may be racing at the moment it fails (e.g. between hops); that is not unhandled.
    this.failed.catch(() => undefined);
    this.timer = setTimeout(() => this.fail(new ImageFetchError('timeout', `upstream image did not arrive within ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => this.fail(new ImageFetchError('aborted', 'image request was aborted'));

  private fail(err: ImageFetchError): void {
    if (this.over || this.failure) return;
    this.failure = err;
    for (const item of this.inflight) item.destroy(err);
    this.reject(err);
  }

  /** Starts `work` only if the phase has not failed yet, and settles with whichever comes first. */
  race<T>(work: () => Promise<T>): Promise<T> {
    if (this.failure) return this.failed;
    return Promise.race([work(), this.failed]);
  }

  /** Something to destroy on failure; destroyed at once if the phase already failed. */
  track(item: { destroy(err?: Error): unknown }): void {
    if (this.failure) item.destroy(this.failure);
    else this.inflight.push(item);
  }

  end(): void {
    this.over = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * The upstream body as handed to the consumer. The idle timer runs only while
 * a read is waiting on the upstream, so a slow client applying backpressure is
 * not mistaken for a stalled upstream. A failure before the first read (the
 * upstream hanging up while the route is still deciding what to do) is kept
 * for that read: emitting it earlier, with nobody listening, would crash the process.
 */
class BoundedBody extends Readable {
  private received = 0;
  private idle: NodeJS.Timeout | undefined;
  private started = false;
  private ended = false;
  private pending: ImageFetchError | undefined;

  constructor(
    private readonly source: http.IncomingMessage,
    head: Buffer | undefined,
    private readonly maxBytes: number,
    private readonly idleMs: number,
    private readonly signal?: AbortSignal,
  ) {
    super();
    if (head) {
      this.received = head.length;
      this.push(head);
    }
    source.on('data', this.onData);
    source.once('end', this.onEnd);
    source.on('error', this.onSourceGone);
    source.once('close', this.onSourceGone);
    source.pause();
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort);
  }

  override _read(): void {
    this.started = true;
    if (this.pending) {
      this.destroy(this.pending);
      return;
    }
    if (this.ended) return;
    this.armIdle();
    this.source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    callback(err);
  }

  private release(): void {
    this.disarmIdle();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.source.off('data', this.onData);
    // Destroying the response closes its socket (no agent keeps it).
    this.source.destroy();
  }

  private fail(err: ImageFetchError): void {
    if (this.destroyed || this.pending) return;
    if (this.started) {
      this.destroy(err);
    } else {
      this.pending = err;
      this.release();
    }
  }

  private readonly onData = (chunk: Buffer): void => {
    this.disarmIdle();
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.fail(new ImageFetchError('too_large', `upstream image exceeded ${this.maxBytes} bytes`));
      return;
    }
    if (this.push(chunk)) this.armIdle();
    else this.source.pause();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.disarmIdle();
    this.push(null);
  };

  private readonly onSourceGone = (err?: Error): void => {
    if (this.ended) return;
    this.fail(new ImageFetchError('unreachable', `upstream closed the connection mid-image${err ? `: ${describe(err)}` : ''}`, undefined, { cause: err }));
  };

  private readonly onAbort = (): void => {
    this.fail(new ImageFetchError('aborted', 'image request was aborted'));
  };

  private armIdle(): void {
    this.disarmIdle();
    this.idle = setTimeout(() => this.fail(new ImageFetchError('timeout', `upstream image stalled for ${this.idleMs} ms`)), this.idleMs);
  }

  private disarmIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
  }
}
