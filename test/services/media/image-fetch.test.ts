import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { fetchImage, ImageFetchError, type ImageFetchOptions, type ResolvedAddress } from '../../../services/media/image-fetch';

jest.setTimeout(10_000);

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]);

interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Resolves when the server side of the exchange is gone; true when the response was completely sent. */
  closed: Promise<boolean>;
}

interface Upstream {
  port: number;
  host: string;
  url: (path?: string) => string;
  exchanges: Exchange[];
  nextExchange: () => Promise<Exchange>;
}

const servers: http.Server[] = [];

async function startUpstream(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Upstream> {
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

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

function options(overrides: Partial<ImageFetchOptions> = {}): ImageFetchOptions {
  return { timeoutMs: 2_000, maxBytes: 1_000_000, ...overrides };
}

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(work: Promise<unknown>): Promise<ImageFetchError> {
  const err = await work.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageFetchError);
  return err as ImageFetchError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function servePng(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length, etag: '"v1"', 'last-modified': 'Tue, 01 Jul 2025 00:00:00 GMT' });
  res.end(PNG);
}

describe('fetchImage from a trusted upstream', () => {
  test('streams the image bytes intact with the upstream content type and validators', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host] }));

    expect(image).toMatchObject({ status: 200, contentType: 'image/png', contentLength: PNG.length, etag: '"v1"', lastModified: 'Tue, 01 Jul 2025 00:00:00 GMT' });
    expect((await collect(image.body)).equals(PNG)).toBe(true);
    expect(up.exchanges[0].req.headers).toMatchObject({ host: up.host, accept: 'image/*' });
  });

  test.each([
    ['in one write', [PNG]],
    // The signature split across writes, so the sniffer has to wait for more than one chunk.
    ['split across writes', [PNG.subarray(0, 3), PNG.subarray(3)]],
  ])('sniffs the real type of an octet-stream body sent %s and still delivers every byte', async (_how, parts) => {
    const up = await startUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (const part of parts.slice(0, -1)) {
        res.write(part);
        await sleep(20);
      }
      res.end(parts.at(-1));
    });

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host] }));

    expect(image.contentType).toBe('image/png');
    expect((await collect(image.body)).equals(PNG)).toBe(true);
  });

  test('an untyped body that is not a known image format is refused', async () => {
    const up = await startUpstream((_req, res) => res.end('<html><script>alert(1)</script></html>'));

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'not_image' });
  });

  test.each(['text/html; charset=utf-8', 'image/svg+xml', 'application/json'])('content type %s is refused', async (type) => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(PNG);
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'not_image' });
  });

  test('an image the upstream compresses anyway is refused, since the bytes would not be the image', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' });
      res.end(PNG);
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'not_image' });
  });

  test.each([404, 500])('an upstream %i is reported with its status', async (status) => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('nope');
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'upstream_status', status });
  });

  test('a closed port is unreachable', async () => {
    const up = await startUpstream(() => undefined);
    const { port } = up;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));

    expect(await failure(fetchImage(`http://127.0.0.1:${port}/x.png`, options({ trustedHosts: [`127.0.0.1:${port}`] })))).toMatchObject({ kind: 'unreachable' });
  });
});

describe('fetchImage guard', () => {
  test('the same address is refused when its host is not trusted, and nothing is sent to it', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: ['127.0.0.1:1'] })))).toMatchObject({ kind: 'blocked' });
    expect(up.exchanges).toHaveLength(0);
  });

  test.each([
    'http://127.0.0.1/a.png',
    'http://10.0.0.1/a.png',
    'http://172.20.1.1:8080/a.png',
    'http://192.168.1.10/a.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/a.png',
    'http://[::1]/a.png',
    'http://[::ffff:127.0.0.1]/a.png',
    'http://[fd00::1]/a.png',
    'http://[fe80::1]/a.png',
    'http://0.0.0.0/a.png',
    'http://2130706433/a.png',
    'http://0x7f.1/a.png',
    'http://0177.0.0.1/a.png',
    'https://255.255.255.255/a.png',
    'http://224.0.0.1/a.png',
  ])('refuses the literal address in %s', async (url) => {
    const lookup = jest.fn(async (): Promise<ResolvedAddress[]> => []);

    expect(await failure(fetchImage(url, options({ lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).not.toHaveBeenCalled();
  });

  test('refuses localhost through the system resolver', async () => {
    expect(await failure(fetchImage('http://localhost/a.png', options()))).toMatchObject({ kind: 'blocked' });
  });

  test.each([
    ['a private address', [{ address: '10.0.0.5', family: 4 }]],
    ['the metadata service', [{ address: '169.254.169.254', family: 4 }]],
    ['a public and a private address', [{ address: '8.8.8.8', family: 4 }, { address: '::1', family: 6 }]],
  ])('refuses a host name that resolves to %s', async (_what, addresses) => {
    const lookup = jest.fn(async () => addresses);

    expect(await failure(fetchImage('https://cdn.example/a.png', options({ lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).toHaveBeenCalledWith('cdn.example');
  });

  test('a host name that does not resolve is unreachable', async () => {
    const lookup = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };

    expect(await failure(fetchImage('https://nowhere.example/a.png', options({ lookup })))).toMatchObject({ kind: 'unreachable' });
  });

  test('connects to the address that was vetted and never asks the resolver again', async () => {
    const up = await startUpstream((_req, res) => servePng(res));
    // A rebinding resolver: the second answer would point somewhere else.
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.9.9.9', family: 4 }]];
    const lookup = jest.fn(async () => answers.shift()!);
    const host = `images.test:${up.port}`;

    // `.test` names never resolve in real DNS, so getting the image proves the pinned address was used.
    const image = await fetchImage(`http://${host}/a.png`, options({ trustedHosts: [host.toUpperCase()], lookup }));

    expect((await collect(image.body)).equals(PNG)).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(up.exchanges[0].req.headers.host).toBe(host);
  });

  test.each(['not a url', 'ftp://127.0.0.1/a.png', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:secret@cdn.example/a.png'])(
    'refuses %j as a bad URL',
    async (url) => {
      expect(await failure(fetchImage(url, options()))).toMatchObject({ kind: 'bad_url' });
    },
  );
});

describe('fetchImage redirects', () => {
  test('follows a redirect within the trusted host', async () => {
    const up = await startUpstream((req, res) => {
      if (req.url === '/final.png') return servePng(res);
      res.writeHead(302, { location: '/final.png' });
      res.end();
    });

    const image = await fetchImage(up.url('/start'), options({ trustedHosts: [up.host] }));

    expect((await collect(image.body)).equals(PNG)).toBe(true);
    expect(up.exchanges.map((e) => e.req.url)).toEqual(['/start', '/final.png']);
  });

  test('a trusted host redirecting to an untrusted private address is blocked before anything is sent there', async () => {
    const other = await startUpstream((_req, res) => servePng(res));
    const up = await startUpstream((_req, res) => {
      res.writeHead(302, { location: other.url() });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'blocked' });
    expect(other.exchanges).toHaveLength(0);
  });

  test('a redirect to a host name resolving to the metadata service is blocked', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(307, { location: 'http://metadata.test/latest/meta-data/' });
      res.end();
    });
    const lookup = jest.fn(async () => [{ address: '169.254.169.254', family: 4 }]);

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).toHaveBeenCalledWith('metadata.test');
  });

  test('a redirect to another scheme is a bad URL', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(301, { location: 'file:///etc/passwd' });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'bad_url' });
  });

  test('stops after maxRedirects hops', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], maxRedirects: 2 })))).toMatchObject({ kind: 'too_many_redirects' });
    expect(up.exchanges).toHaveLength(3);
  });
});

describe('fetchImage limits', () => {
  test('a Content-Length over maxBytes is refused without reading the body', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': 50_000_000 });
      // Headers only: waiting for the body would hang until the test's time limit.
      res.flushHeaders();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], maxBytes: 1_000, timeoutMs: 30_000 })))).toMatchObject({ kind: 'too_large' });
    expect(await up.exchanges[0].closed).toBe(false);
  });

  test('a chunked body growing past maxBytes fails the stream and closes the upstream connection', async () => {
    const up = await startUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let i = 0; i < 20 && !res.destroyed; i++) {
        res.write(Buffer.alloc(1_000, i));
        await sleep(10);
      }
      res.end();
    });

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host], maxBytes: 2_500 }));
    let delivered = 0;
    image.body.on('data', (chunk: Buffer) => (delivered += chunk.length));
    const err = await failure(collect(image.body));

    expect(err.kind).toBe('too_large');
    expect(delivered).toBeLessThanOrEqual(2_500);
    expect(await up.exchanges[0].closed).toBe(false);
  });

  test('an upstream that sends no headers in time is a timeout and its connection is closed', async () => {
    const up = await startUpstream(() => undefined);

    const started = Date.now();
    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], timeoutMs: 200 })))).toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await up.exchanges[0].closed).toBe(false);
  });

  test('a body that stalls longer than timeoutMs between chunks fails with timeout', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 100));
    });

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host], timeoutMs: 400 }));

    expect((await failure(collect(image.body))).kind).toBe('timeout');
    expect(await up.exchanges[0].closed).toBe(false);
  });

  test('an upstream hanging up before anyone reads surfaces on the first read, not as an uncaught error', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      res.write(PNG.subarray(0, 100));
      setTimeout(() => res.destroy(), 20);
    });

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host] }));
    await up.exchanges[0].closed;
    await sleep(100);

    expect((await failure(collect(image.body))).kind).toBe('unreachable');
  });

  test('a consumer that starts reading late is not mistaken for a stalled upstream', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host], timeoutMs: 400 }));
    await sleep(1_000);

    expect((await collect(image.body)).equals(PNG)).toBe(true);
  });
});

describe('fetchImage cancellation', () => {
  test('aborting while waiting for headers stops the upstream request', async () => {
    const up = await startUpstream(() => undefined);
    const controller = new AbortController();

    const pending = fetchImage(up.url(), options({ trustedHosts: [up.host], signal: controller.signal, timeoutMs: 30_000 }));
    const exchange = await up.nextExchange();
    controller.abort();

    expect(await failure(pending)).toMatchObject({ kind: 'aborted' });
    expect(await exchange.closed).toBe(false);
  });

  test('an already aborted signal sends nothing', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], signal: AbortSignal.abort() })))).toMatchObject({ kind: 'aborted' });
    await sleep(50);
    expect(up.exchanges).toHaveLength(0);
  });

  test('aborting mid-body fails the stream and closes the upstream connection', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 100));
    });
    const controller = new AbortController();

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host], signal: controller.signal, timeoutMs: 30_000 }));
    const body = collect(image.body);
    await sleep(50);
    controller.abort();

    expect((await failure(body)).kind).toBe('aborted');
    expect(await up.exchanges[0].closed).toBe(false);
  });

  test('destroying the body closes the upstream connection', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG.subarray(0, 100));
    });

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host], timeoutMs: 30_000 }));
    image.body.destroy();

    expect(await up.exchanges[0].closed).toBe(false);
  });
});
