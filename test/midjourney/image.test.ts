import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { buildApp } from '../../api/app';
import type { Config } from '../../lib/config';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

/** The same app with a different Midjourney configuration, over the same database and Temporal. */
function appWith(h: MjHarness, midjourney: Partial<Config['midjourney']>) {
  const config = { ...h.t.deps.config, midjourney: { ...h.t.deps.config.midjourney, ...midjourney } };
  return request(buildApp({ ...h.t.deps, config }).callback());
}

const pathOf = (url: string) => new URL(url).pathname;

describe('Midjourney image forwarding (sqlite)', () => {
  let h: MjHarness;
  let mjId: string;
  beforeAll(async () => {
    h = await startMjHarness('sqlite', {}, { imageBytes: 300 * 1024 });
    await h.addChannel();
    mjId = (await h.submit('imagine', { prompt: 'a forwarded image' })).body.result!;
    await h.waitFor(mjId, ['SUCCESS']);
  });
  afterAll(() => h?.close());

  test('GET /mj/image/:id streams the upstream bytes with their content type and long-lived cache headers', async () => {
    const fetched = await h.http().get(`/mj/task/${mjId}/fetch`).set('mj-api-secret', h.user.key);
    expect(fetched.body.imageUrl).toBe(`http://relay.test/mj/image/${mjId}`);

    const res = await h
      .http()
      .get(pathOf(fetched.body.imageUrl))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=86400, immutable');
    const direct = Buffer.from(await (await fetch(h.sim.task(h.sim.tasks()[0]!.id)!.imageUrl!)).arrayBuffer());
    expect(res.body.length).toBe(300 * 1024);
    expect(Buffer.compare(res.body as Buffer, direct)).toBe(0);
  });

  test('listed image_url values are rewritten to the proxy; with forwarding off they are the upstream URL', async () => {
    const listed = await h.http().get('/api/mj/self').query({ mj_id: mjId }).set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(listed.body.data.items[0].image_url).toBe(`http://relay.test/mj/image/${mjId}`);
    const raw = await appWith(h, { forwardUrls: false }).get('/api/mj/self').query({ mj_id: mjId }).set('Authorization', `Bearer ${h.user.accessToken}`);
    expect(raw.body.data.items[0].image_url).toMatch(new RegExp(`^${h.sim.url}/mj/image-bytes/\\d+\\.png$`));
  });

  test('an image URL on a private or loopback address other than the channel is refused without being fetched', async () => {
    const hits: string[] = [];
    const internal = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end('secret');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    const port = (internal.address() as AddressInfo).port;
    try {
      const victim = (await h.submit('imagine', { prompt: 'poisoned' })).body.result!;
      await h.waitFor(victim, ['SUCCESS']);
      // An upstream that reports image URLs pointing inside our network.
      for (const url of [
        `http://127.0.0.1:${port}/admin.png`,
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.7/x.png',
        `http://[::ffff:127.0.0.1]:${port}/x.png`,
      ]) {
        await h.t.deps.services.midjourney.apply(victim, 1_000_000 + hits.length + url.length, { imageUrl: url });
        const res = await h.http().get(`/mj/image/${victim}`);
        expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 403, code: 4 });
      }
      expect(hits).toEqual([]);
    } finally {
      internal.close();
    }
  });

  test('with MJ_IMAGE_REQUIRE_TOKEN only the owner gets the image, by key or access token, and caches turn private', async () => {
    const app = appWith(h, { imageRequiresToken: true });
    expect((await app.get(`/mj/image/${mjId}`)).status).toBe(401);
    const stranger = await h.newUser(1000);
    expect((await app.get(`/mj/image/${mjId}`).set('mj-api-secret', stranger.key)).status).toBe(404);
    const byKey = await app.get(`/mj/image/${mjId}`).set('mj-api-secret', h.user.key);
    expect(byKey.status).toBe(200);
    expect(byKey.headers['cache-control']).toBe('private, max-age=86400, immutable');
    expect((await app.get(`/mj/image/${mjId}`).set('Authorization', `Bearer ${h.user.accessToken}`)).status).toBe(200);
  });

  test('an image over MJ_IMAGE_MAX_BYTES or an upstream that stops answering is cut off with a clear error', async () => {
    const small = await appWith(h, { imageMaxBytes: 1024 }).get(`/mj/image/${mjId}`);
    expect(small.status).toBe(502);
    expect(small.body.description).toMatch(/307200 bytes, more than the 1024 allowed/);
    h.sim.setImage({ delayMs: 3_000 });
    try {
      const slow = await appWith(h, { imageTimeoutSeconds: 0.5 }).get(`/mj/image/${mjId}`);
      expect(slow.status).toBe(504);
    } finally {
      h.sim.setImage({ delayMs: 0 });
    }
    expect((await h.http().get('/mj/image/0000000000000000000')).status).toBe(404);
  });
});
