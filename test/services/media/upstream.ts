/** Local upstreams and helpers shared by the image fetcher's test files. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { ImageFetchError, type ImageFetchOptions } from '../../../services/media/image-fetch';

export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);

export interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Resolves when the server side of the exchange is gone; true when the response was completely sent. */
  closed: Promise<boolean>;
}

export interface Upstream {
  port: number;
  host: string;
  url: (path?: string) => string;
  exchanges: Exchange[];
  nextExchange: () => Promise<Exchange>;
}

const servers: http.Server[] = [];

export async function startUpstream(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Upstream> {
  const exchanges: Exchange[] = [];
  const waiters: ((e: Exchange) => void)[] = [];
  const server = http.createServer((req, res) => {
    const closed = new Promise<boolean>((resolve) => res.once('close', () => resolve(res.writableFinished)));
    const exchange = { req, res, closed };
    exchanges.push(exchange);
    waiters.shift()?.(exchange);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    host: `127.0.0.1:${port}`,
    url: (path = '/image.png') => `http://127.0.0.1:${port}${path}`,
    exchanges,
    nextExchange: () => new Promise((resolve) => (exchanges.length > waiters.length ? resolve(exchanges[waiters.length]) : waiters.push(resolve))),
  };
}

/** Closes every upstream started by the test that just ran (call from afterEach). */
export async function closeUpstreams(): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
}

export function options(overrides: Partial<ImageFetchOptions> = {}): ImageFetchOptions {
  return { timeoutMs: 2_000, maxBytes: 1_000_000, ...overrides };
}

export async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function failure(work: Promise<unknown>): Promise<ImageFetchError> {
  const err = await work.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageFetchError);
  return err as ImageFetchError;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function servePng(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length, etag: '"v1"', 'last-modified': 'Tue, 01 Jul 2025 00:00:00 GMT' });
  res.end(PNG);
}
