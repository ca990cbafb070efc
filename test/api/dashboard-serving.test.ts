import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app';

/** The built dashboard at `/` (here a stand-in build in a temp WEB_DIR), and the clip audio proxy it plays from. */

describe('serving the dashboard', () => {
  let t: TestApp;
  let dir: string;
  const http_ = () => request(t.app.callback());

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-web-'));
    const web = path.join(dir, 'web');
    fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>taskhub</title><div id="root"></div>');
    fs.writeFileSync(path.join(web, 'assets', 'app-abc123.js'), 'console.log("dashboard");'.repeat(100));
    fs.writeFileSync(path.join(web, 'assets', 'app-abc123.js.br'), zlib.brotliCompressSync(fs.readFileSync(path.join(web, 'assets', 'app-abc123.js'))));
    fs.writeFileSync(path.join(web, '.source-hash'), 'not for the public');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the web root');
    t = await createTestApp('sqlite', { WEB_DIR: web });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and at any path of its own, with a same-origin-only policy and no caching', async () => {
    for (const p of ['/', '/tasks', '/users/2/ledger']) {
      const res = await http_().get(p);
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/connect-src 'self'/);
    }
  });

  it('serves hashed assets as immutable, precompressed when the client takes brotli', async () => {
    const plain = await http_().get('/assets/app-abc123.js').set('accept-encoding', 'identity');
    expect(plain.status).toBe(200);
    expect(plain.type).toMatch(/^(text|application)\/javascript$/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const br = await http_().get('/assets/app-abc123.js').set('accept-encoding', 'br');
    expect(br.headers['content-encoding']).toBe('br');
  });

  it('answers missing files, dot files and escapes from the root with a JSON 404, never index.html or the file', async () => {
    for (const p of ['/assets/missing.js', '/.source-hash', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await http_().get(p);
      expect([p, res.status]).toEqual([p, 404]);
      expect(res.type).toBe('application/json');
      expect(res.text).not.toContain('outside the web root');
      expect(res.text).not.toContain('not for the public');
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it("leaves the API's paths alone: their unknown routes keep their family's JSON 404, other methods never get the page", async () => {
    const newapi = await http_().get('/api/nothing-here');
    expect(newapi.status).toBe(404);
    expect(newapi.body).toMatchObject({ success: false });
    const suno = await http_().get('/suno/nothing-here');
    expect(suno.status).toBe(404);
    expect(suno.body).toMatchObject({ code: 'not_found', data: null });
    const mj = await http_().get('/mj/nothing-here');
    expect(mj.status).toBe(404);
    expect(mj.body).toMatchObject({ code: 3 });
    const post = await http_().post('/tasks').send({});
    expect(post.status).toBe(404);
    expect(post.type).toBe('application/json');
    expect((await http_().get('/healthz')).type).toBe('application/json');
  });

  it('says the dashboard is not built when WEB_DIR has no index.html, in JSON', async () => {
    const bare = await createTestApp('sqlite', { WEB_DIR: path.join(dir, 'nowhere') });
    try {
      const res = await request(bare.app.callback()).get('/');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/not built/);
    } finally {
      await bare.close();
    }
  });
});

describe('GET /suno/audio/:task_id/:clip_id', () => {
  let t: TestApp;
  let upstream: http.Server;
  let base: string;
  const MP3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(400, 0x11)]);
  const http_ = () => request(t.app.callback());

  beforeAll(async () => {
    // A stand-in for the upstream's CDN on 127.0.0.1: real HTTP, bytes we choose.
    upstream = http.createServer((req, res) => {
      if (req.url === '/clip.mp3') res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': MP3.length }).end(MP3);
      else if (req.url === '/untyped') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(MP3);
      else if (req.url === '/page.html') res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  async function taskWithClips(clips: object[], trusted = true): Promise<string> {
    const userId = (await t.deps.services.users.authenticate(t.rootToken)).id;
    const channelId = trusted
      ? (
          await request(t.app.callback())
            .post('/api/channel/')
            .set('Authorization', `Bearer ${t.rootToken}`)
            .send({ type: 36, name: 'cdn', key: 'k', base_url: base })
        ).body.data.id
      : 0;
    const { task } = await t.deps.services.tasks.create({ platform: 'suno', action: 'MUSIC', userId, tokenId: null, quota: 0, properties: {} });
    await t.deps.services.tasks.apply(task.taskId, 1, { status: 'SUCCESS', progress: '100%', channelId, data: clips });
    return task.taskId;
  }

  it("streams a finished clip's audio from the channel's host, typed and cacheable", async () => {
    const taskId = await taskWithClips([
      { id: 'c1', audio_url: `${base}/clip.mp3` },
      { id: 'c2', audio_url: `${base}/untyped` },
    ]);
    const res = await http_().get(`/suno/audio/${taskId}/c1`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.type).toBe('audio/mpeg');
    expect(Buffer.compare(res.body as Buffer, MP3)).toBe(0);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    // No type from the upstream: the bytes decide.
    const sniffed = await http_().get(`/suno/audio/${taskId}/c2`).buffer(true).parse(binary);
    expect(sniffed.type).toBe('audio/mpeg');
  });

  it("refuses what is not audio, unknown clips, and private addresses that are not the channel's, in the Suno envelope", async () => {
    const taskId = await taskWithClips([{ id: 'page', audio_url: `${base}/page.html` }]);
    const html = await http_().get(`/suno/audio/${taskId}/page`);
    expect(html.status).toBe(502);
    expect(html.body).toMatchObject({ data: null, message: expect.stringMatching(/not audio/) });
    const unknown = await http_().get(`/suno/audio/${taskId}/nope`);
    expect(unknown.status).toBe(404);
    expect((await http_().get('/suno/audio/task_unknown/c1')).status).toBe(404);
    const untrusted = await taskWithClips([{ id: 'c1', audio_url: `${base}/clip.mp3` }], false);
    expect((await http_().get(`/suno/audio/${untrusted}/c1`)).status).toBe(403);
  });
});

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
