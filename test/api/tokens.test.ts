import request from 'supertest';
import { Token } from '../../db/entities';
import { createTestApp, type TestApp } from '../support/app';
import { DB_KINDS } from '../support/databases';

describe.each(DB_KINDS)('sk- relay keys over HTTP (%s)', (kind) => {
  let t: TestApp;
  let owner: string;
  let other: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const mk = async (username: string) =>
      (await request(t.app.callback()).post('/api/user/').set('Authorization', `Bearer ${t.rootToken}`).send({ username, password: 'password123', quota: 100 }))
        .body.data.access_token as string;
    owner = await mk('owner');
    other = await mk('other');
  });
  afterAll(() => t?.close());

  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  const http = () => request(t.app.callback());

  test('the full key is shown once at creation, stored only as a digest, and masked afterwards', async () => {
    const created = await as(owner, http().post('/api/token/')).send({ name: 'ci', remain_quota: 500 });
    const key: string = created.body.data.key;

    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    const row = await t.db.orm.em.fork().findOneOrFail(Token, { id: created.body.data.id });
    expect(JSON.stringify(row)).not.toContain(key.slice(3));
    const listed = await as(owner, http().get('/api/token/'));
    expect(listed.body.data.items[0]).toMatchObject({ id: created.body.data.id, key: `${key.slice(0, 7)}…${key.slice(-4)}`, remain_quota: 500 });
    await expect(t.deps.services.tokens.authenticate(key)).resolves.toMatchObject({ token: { id: created.body.data.id } });
  });

  test("one user cannot read, change or delete another user's key", async () => {
    const created = await as(owner, http().post('/api/token/')).send({ name: 'mine' });
    const id = created.body.data.id;

    expect((await as(other, http().get(`/api/token/${id}`))).status).toBe(404);
    expect((await as(other, http().put('/api/token/')).send({ id, name: 'stolen' })).status).toBe(404);
    expect((await as(other, http().delete(`/api/token/${id}`))).status).toBe(404);
    expect((await as(owner, http().get(`/api/token/${id}`))).body.data.name).toBe('mine');
  });

  test('disabled, expired and deleted keys stop authenticating', async () => {
    const mk = async (body: object) => (await as(owner, http().post('/api/token/')).send({ name: 'k', remain_quota: 10, ...body })).body.data;
    const disabled = await mk({});
    await as(owner, http().put('/api/token/')).send({ id: disabled.id, status: 2 });
    const expired = await mk({ expired_time: Math.floor(Date.now() / 1000) - 60 });
    const deleted = await mk({});
    await as(owner, http().delete(`/api/token/${deleted.id}`));

    await expect(t.deps.services.tokens.authenticate(disabled.key)).rejects.toThrow(/disabled/);
    await expect(t.deps.services.tokens.authenticate(expired.key)).rejects.toThrow(/expired/);
    await expect(t.deps.services.tokens.authenticate(deleted.key)).rejects.toThrow(/invalid/);
  });

  test('bad token bodies are refused with field messages', async () => {
    const res = await as(owner, http().post('/api/token/')).send({ name: '', unlimited_quota: 'yes', expired_time: 0 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['expired_time', 'name', 'unlimited_quota']);
  });
});
