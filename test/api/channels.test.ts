import request from 'supertest';
import { Channel } from '../../db/entities';
import { createTestApp, type TestApp } from '../support/app';
import { DB_KINDS } from '../support/databases';

describe.each(DB_KINDS)('channels over HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.close());

  const http = () => request(t.app.callback());
  const asRoot = (req: request.Test) => req.set('Authorization', `Bearer ${t.rootToken}`);

  test('a channel is created, listed by type and updated, and its upstream key never comes back', async () => {
    const created = await asRoot(http().post('/api/channel/')).send({
      type: 36,
      name: 'suno-a',
      key: 'upstream-secret',
      base_url: 'http://127.0.0.1:9/',
      priority: 5,
    });
    expect(created.body.data).toMatchObject({ type: 36, name: 'suno-a', base_url: 'http://127.0.0.1:9', priority: 5, status: 1 });
    expect(JSON.stringify(created.body)).not.toContain('upstream-secret');
    await asRoot(http().post('/api/channel/')).send({ type: 2, name: 'mj-a', key: 'k', base_url: 'https://mj.example' });

    const suno = await asRoot(http().get('/api/channel/').query({ type: 36 }));
    expect(suno.body.data.items.map((c: { name: string }) => c.name)).toEqual(['suno-a']);
    const updated = await asRoot(http().put('/api/channel/')).send({ id: created.body.data.id, status: 2, weight: 3 });
    expect(updated.body.data).toMatchObject({ status: 2, weight: 3, name: 'suno-a' });
    const row = await t.db.orm.em.fork().findOneOrFail(Channel, { id: created.body.data.id });
    expect(row.key).toBe('upstream-secret');
  });

  test('unsupported types and non-http URLs are refused, nothing stored', async () => {
    const before = await t.db.orm.em.fork().count(Channel, {});
    const badType = await asRoot(http().post('/api/channel/')).send({ type: 1, name: 'x', key: 'k', base_url: 'http://a' });
    const badUrl = await asRoot(http().post('/api/channel/')).send({ type: 36, name: 'x', key: 'k', base_url: 'file:///etc/passwd' });

    expect(badType.status).toBe(400);
    expect(badType.body.message).toMatch(/type: unsupported channel type/);
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toMatch(/base_url: must be an http\(s\) URL/);
    expect(await t.db.orm.em.fork().count(Channel, {})).toBe(before);
  });

  test('channels are admin-only', async () => {
    const user = await asRoot(http().post('/api/user/')).send({ username: `chan_user_${kind}`, password: 'password123' });
    const res = await http().get('/api/channel/').set('Authorization', `Bearer ${user.body.data.access_token}`);
    expect(res.status).toBe(403);
  });

  test('deleting a channel that does not exist is a 404', async () => {
    const res = await asRoot(http().delete('/api/channel/999999'));
    expect(res).toMatchObject({ status: 404, body: { success: false, message: 'channel not found' } });
  });
});
