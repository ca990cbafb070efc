import request from 'supertest';
import { buildApp } from '../../api/app';
import { createTestApp, type TestApp } from '../support/app';

describe('system routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  const http = () => request(t.app.callback());

  test('healthz is 200 when the database and the real Temporal server both answer', async () => {
    const res = await http().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { database: { ok: true }, temporal: { ok: true } } });
  });

  test('healthz is 503 and names the failing dependency when Temporal does not answer', async () => {
    const app = buildApp({ ...t.deps, temporal: { ...t.deps.temporal, check: () => Promise.reject(new Error('connection refused')) } });
    const res = await request(app.callback()).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, temporal: { ok: false, error: 'connection refused' } } });
  });

  test('readyz turns 503 once shutdown begins while livez stays up', async () => {
    const lifecycle = { shuttingDown: false };
    const app = buildApp({ ...t.deps, lifecycle }).callback();
    expect((await request(app).get('/readyz')).status).toBe(200);
    lifecycle.shuttingDown = true;
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'shutting_down' });
    expect((await request(app).get('/livez')).status).toBe(200);
  });

  test('every response carries a request id, echoing a sane incoming one', async () => {
    const echoed = await http().get('/livez').set('x-request-id', 'trace-123');
    const fresh = await http().get('/livez');
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('metrics expose request latency by route template, not by raw URL', async () => {
    await http().get('/api/user/7').set('Authorization', `Bearer ${t.rootToken}`);
    const res = await http().get('/metrics');
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/taskhub_http_request_duration_seconds_count\{method="GET",route="\/api\/user\/:id",status="404"\} 1/);
  });

  test('the OpenAPI document lists every route with its request schema and envelope', async () => {
    const doc = (await http().get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/user/', '/api/user/{id}', '/api/token/', '/api/channel/', '/healthz']));
    const create = doc.paths['/api/user/'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    expect(create.responses['200'].content['application/json'].schema.properties).toHaveProperty('success');
    expect(create.security).toEqual([{ accessToken: [] }]);
  });

  test.each([
    ['/api/nothing', { success: false, message: 'no route for GET /api/nothing' }],
    ['/api/v1/nothing', { code: 40401, message: 'no route for GET /api/v1/nothing' }],
    ['/suno/nothing', { code: 'not_found' }],
    ['/mj/nothing', { code: 3, description: 'no route for GET /mj/nothing' }],
    // Other extensionless paths belong to the dashboard (index.html); a missing file is a plain 404.
    ['/nothing.json', { error: { code: 'not_found' } }],
  ])('an unknown route %s is a 404 in its family envelope', async (path, body) => {
    const res = await http().get(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject(body);
  });

  test('a wrong method on a known path is a 405', async () => {
    const res = await http().patch('/api/user/self').set('Authorization', `Bearer ${t.rootToken}`);
    expect(res.status).toBe(405);
    expect(res.body.success).toBe(false);
  });
});
