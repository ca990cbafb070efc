import { fetchImage } from '../../../services/media/image-fetch';
import { closeUpstreams, collect, failure, options, PNG, servePng, sleep, startUpstream } from './upstream';

jest.setTimeout(10_000);
afterEach(closeUpstreams);

describe('fetchImage from a trusted upstream', () => {
  test('streams the image bytes intact with the upstream content type and validators', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    const image = await fetchImage(up.url(), options({ trustedHosts: [up.host] }));

    expect(image).toMatchObject({
      status: 200,
      contentType: 'image/png',
      contentLength: PNG.length,
      etag: '"v1"',
      lastModified: 'Tue, 01 Jul 2025 00:00:00 GMT',
    });
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
    await closeUpstreams();

    expect(await failure(fetchImage(`http://127.0.0.1:${port}/x.png`, options({ trustedHosts: [`127.0.0.1:${port}`] })))).toMatchObject({
      kind: 'unreachable',
    });
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
