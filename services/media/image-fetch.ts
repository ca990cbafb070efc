import type http from 'node:http';
import type { Readable } from 'node:stream';
import { BoundedBody } from './bounded-body';
import { ImageFetchError } from './image-fetch-error';
import { AUDIO_TYPE, mediaType, RASTER_TYPE, readHead, sniffAudioType, sniffImageType, UNTYPED } from './image-sniff';
import { defaultLookup, normalizeHost, parseTarget, send, vet, type Destroyable, type Lookup } from './image-target';

export { ImageFetchError, type ImageFetchErrorKind } from './image-fetch-error';
export { sniffImageType } from './image-sniff';
export type { ResolvedAddress } from './image-target';

/**
 * Fetches a task's image from wherever the upstream says it lives, for
 * `GET /mj/image/:id`. The URL comes from an upstream we don't control, so it
 * is treated as hostile: only public addresses (unless the host is the
 * channel's own), the vetted address is the one connected to, every redirect
 * is vetted again, and time and size are bounded.
 */

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
  lookup?: Lookup;
  /**
   * What may be passed on: the declared types served, and how an untyped body is recognised.
   * Defaults to raster images (never SVG); `AUDIO_MEDIA` serves Suno clips.
   */
  media?: MediaPolicy;
}

export interface MediaPolicy {
  types: RegExp;
  sniff(head: Buffer): string | undefined;
  /** Names the kind in error messages ("image", "audio"). */
  noun: string;
}

export const IMAGE_MEDIA: MediaPolicy = { types: RASTER_TYPE, sniff: sniffImageType, noun: 'image' };
export const AUDIO_MEDIA: MediaPolicy = { types: AUDIO_TYPE, sniff: sniffAudioType, noun: 'audio' };

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

export async function fetchImage(url: string, options: ImageFetchOptions): Promise<FetchedImage> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const trusted = new Set((options.trustedHosts ?? []).map(normalizeHost));
  const lookup = options.lookup ?? defaultLookup;
  const phase = new HeaderPhase(options.timeoutMs, options.signal);
  try {
    let target = parseTarget(url);
    for (let redirects = 0; ; redirects++) {
      const addresses = await phase.race(() => vet(target, trusted, lookup));
      const res = await phase.race(() => send(target, addresses, (item) => phase.track(item)));
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

async function accept(res: http.IncomingMessage, options: ImageFetchOptions, phase: HeaderPhase): Promise<FetchedImage> {
  const refuse = (err: ImageFetchError): never => {
    res.destroy();
    throw err;
  };
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) refuse(new ImageFetchError('upstream_status', `upstream answered ${status}`, status));

  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') refuse(new ImageFetchError('not_image', `upstream sent the image ${encoding}-encoded although we asked for identity`));

  const media = options.media ?? IMAGE_MEDIA;
  const declared = mediaType(res.headers['content-type']);
  if (!media.types.test(declared) && !UNTYPED.has(declared))
    refuse(new ImageFetchError('not_image', `upstream content type ${declared || '(none)'} is not ${media.noun} we serve`));

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
    const type = sniffed.head.length > options.maxBytes ? undefined : media.sniff(sniffed.head);
    if (!type) {
      body.destroy();
      throw sniffed.head.length > options.maxBytes
        ? new ImageFetchError('too_large', `upstream image exceeded ${options.maxBytes} bytes`)
        : new ImageFetchError('not_image', `upstream content type ${declared || '(none)'} and the bytes are not a known ${media.noun} format`);
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

function headerValue(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
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
  private readonly inflight: Destroyable[] = [];
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
  track(item: Destroyable): void {
    if (this.failure) item.destroy(this.failure);
    else this.inflight.push(item);
  }

  end(): void {
    this.over = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
