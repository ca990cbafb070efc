import request from 'supertest';
import { buildApp } from '../../api/app';
import { createTestApp, type TestApp } from '../support/app';

const ORIGIN = 'http://127.0.0.1:5999';

/** One route of each family, answered by the real app: success and error replies alike. */
const ROUTES: { family: string; method: 'get' | 'post' | 'delete'; path: string }[] = [
  { family: 'new-api dashboard', method: 'get', path: '/api/user/self' },
  { family: 'Suno relay', method: 'post', path: '/suno/fetch' },
  { family: 'Midjourney relay', method: 'post', path: '/mj/submit/imagine' },
  { family: 'Midjourney relay, mode prefix', method: 'get', path: '/mj-fast/mj/task/1/fetch' },
  { family: 'Midjourney image', method: 'get', path: '/mj/image/404' },
  { family: 'TikMatrix', method: 'get', path: '/api/v1/task/stats' },
  { family: 'health', method: 'get', path: '/healthz' },
  { family: 'OpenAPI', method: 'get', path: '/openapi.json' },
  { family: 'unknown route', method: 'get', path: '/nowhere' },
];

describe('CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  const http = () => request(t.app.callback());

  test.each(ROUTES)('$family: the preflight is answered before authentication, with the asked-for headers', async ({ method, path }) => {
    const res = await http()
      .options(path)
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', method.toUpperCase())
      .set('Access-Control-Request-Headers', 'authorization, content-type, mj-api-secret, idempotency-key, new-api-user');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain(method.toUpperCase());
    for (const header of ['authorization', 'content-type', 'mj-api-secret', 'idempotency-key', 'new-api-user']) {
      expect(res.headers['access-control-allow-headers']).toContain(header);
    }
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-max-age']).toBe('43200');
  });

  test.each(ROUTES)('$family: the actual reply, error or not, allows the origin and exposes x-request-id', async ({ method, path }) => {
    const res = await http()[method](path).set('Origin', ORIGIN);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('x-request-id');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  test('an unauthenticated relay call still gets its 401 in the family envelope, with CORS headers', async () => {
    const res = await http().post('/mj/submit/imagine').set('Origin', ORIGIN).send({ prompt: 'x' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 4, result: null });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  test('with CORS_ORIGINS set, a listed origin is echoed with Vary: Origin and any other gets no CORS headers', async () => {
    const app = buildApp({ ...t.deps, config: { ...t.deps.config, corsOrigins: [ORIGIN, 'https://app.example'] } }).callback();
    const listed = await request(app).get('/livez').set('Origin', 'https://app.example');
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(listed.headers.vary).toContain('Origin');
    const other = await request(app).get('/livez').set('Origin', 'https://evil.example');
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app).options('/api/user/self').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
