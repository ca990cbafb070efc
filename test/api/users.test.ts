import request from 'supertest';
import { QuotaEntry, User } from '../../db/entities';
import { createTestApp, type TestApp } from '../support/app';
import { DB_KINDS } from '../support/databases';

describe.each(DB_KINDS)('user administration over HTTP (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.close());

  const http = () => request(t.app.callback());
  const asRoot = (req: request.Test) => req.set('Authorization', `Bearer ${t.rootToken}`);
  const userCount = () => t.db.orm.em.fork().count(User, {});

  async function createUser(body: Record<string, unknown>) {
    const res = await asRoot(http().post('/api/user/')).send(body);
    expect(res.status).toBe(200);
    return res.body.data as { id: number; access_token: string; quota: number };
  }

  test('an admin creates a user whose fresh access token works at once, with the opening quota in the ledger', async () => {
    const created = await createUser({ username: `alice_${kind}`, password: 'correct horse', quota: 5000 });

    expect(created).toMatchObject({ username: `alice_${kind}`, quota: 5000, role: 1, status: 1 });
    expect(created.access_token).toMatch(/^[A-Za-z0-9]{32}$/);
    const self = await http().get('/api/user/self').set('Authorization', `Bearer ${created.access_token}`);
    expect(self.body).toEqual({ success: true, message: '', data: expect.objectContaining({ id: created.id, quota: 5000 }) });
    const entries = await t.db.orm.em.fork().find(QuotaEntry, { userId: created.id });
    expect(entries.map((e) => [e.kind, e.amount])).toEqual([['topup', 5000]]);
  });

  test('new-api also accepts the token without the Bearer prefix', async () => {
    const res = await http().get('/api/user/self').set('Authorization', t.rootToken);
    expect(res.body.data.username).toBe('root');
  });

  test.each([
    ['no token', undefined, 401],
    ['an unknown token', 'Bearer not-a-real-token', 401],
  ])('%s gets 401 in the new-api envelope', async (_, header, status) => {
    const req = http().get('/api/user/self');
    const res = await (header ? req.set('Authorization', header) : req);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ success: false, message: expect.stringMatching(/token/) });
  });

  test('a plain user calling admin routes is refused and nothing is written', async () => {
    const user = await createUser({ username: `bob_${kind}`, password: 'password123' });
    const before = await userCount();

    const res = await http().post('/api/user/').set('Authorization', `Bearer ${user.access_token}`).send({ username: 'mallory', password: 'password123' });

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, message: expect.stringMatching(/admin/) });
    expect(await userCount()).toBe(before);
  });

  test('bad bodies get field-level 400s and change nothing', async () => {
    const before = await userCount();
    const cases: [string | object, RegExp][] = [
      ['{"username": "x", "password":', /malformed/],
      [{ username: 'carol', password: 'short' }, /password: must be at least 8 characters/],
      [{ username: 'carol', password: 'password123', quota: 'lots' }, /quota: .*number/],
      [{ username: 'carol', password: 'password123', quota: -5 }, /quota/],
      [{ username: 'carol', password: 'password123', is_admin: true }, /is_admin: unknown field/],
      [{ username: 'carol', password: 'password123', role: 7 }, /role/],
    ];
    for (const [body, message] of cases) {
      const req = asRoot(http().post('/api/user/')).set('Content-Type', 'application/json');
      const res = await req.send(typeof body === 'string' ? body : JSON.stringify(body));
      expect({ status: res.status, success: res.body.success }).toEqual({ status: 400, success: false });
      expect(res.body.message).toMatch(message);
    }
    expect(await userCount()).toBe(before);
  });

  test('an oversized body is refused with 413 before anything runs', async () => {
    const res = await asRoot(http().post('/api/user/')).send({ username: 'big', password: 'x'.repeat(100 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, message: 'request body too large' });
  });

  test('a taken username is a 409 conflict', async () => {
    await createUser({ username: `dup_${kind}`, password: 'password123' });
    const res = await asRoot(http().post('/api/user/')).send({ username: `dup_${kind}`, password: 'password123' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/taken/);
  });

  test('admins manage users below them only; only root makes admins', async () => {
    const admin = await createUser({ username: `admin_${kind}`, password: 'password123', role: 10 });
    const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${admin.access_token}`);

    const peer = await asAdmin(http().post('/api/user/')).send({ username: `admin2_${kind}`, password: 'password123', role: 10 });
    expect(peer.status).toBe(403);
    const demoteRoot = await asAdmin(http().put('/api/user/')).send({ id: 1, status: 2 });
    expect(demoteRoot.status).toBe(403);
    const plain = await asAdmin(http().post('/api/user/')).send({ username: `minion_${kind}`, password: 'password123' });
    expect(plain.status).toBe(200);
  });

  test('setting quota records the difference in the ledger and the books still balance', async () => {
    const user = await createUser({ username: `q_${kind}`, password: 'password123', quota: 1000 });
    const res = await asRoot(http().put('/api/user/')).send({ id: user.id, quota: 250 });

    expect(res.body.data).toMatchObject({ id: user.id, quota: 250 });
    const entries = await t.db.orm.em.fork().find(QuotaEntry, { userId: user.id }, { orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['topup', 1000, 1000],
      ['adjustment', -750, 250],
    ]);
    expect(await t.deps.services.ledger.audit()).toEqual([]);
  });

  test('rotating the access token revokes the old one', async () => {
    const user = await createUser({ username: `rot_${kind}`, password: 'password123' });
    const rotated = await http().get('/api/user/token').set('Authorization', `Bearer ${user.access_token}`);

    expect(rotated.body.data).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await http().get('/api/user/self').set('Authorization', `Bearer ${user.access_token}`)).status).toBe(401);
    expect((await http().get('/api/user/self').set('Authorization', `Bearer ${rotated.body.data}`)).status).toBe(200);
  });

  test('password login issues a new access token; a wrong password does not', async () => {
    await createUser({ username: `login_${kind}`, password: 'password123' });
    const wrong = await http()
      .post('/api/user/login')
      .send({ username: `login_${kind}`, password: 'nope-nope' });
    const right = await http()
      .post('/api/user/login')
      .send({ username: `login_${kind}`, password: 'password123' });

    expect(wrong.status).toBe(401);
    expect(right.body.data.access_token).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  test('a disabled user is locked out', async () => {
    const user = await createUser({ username: `off_${kind}`, password: 'password123' });
    await asRoot(http().put('/api/user/')).send({ id: user.id, status: 2 });
    const res = await http().get('/api/user/self').set('Authorization', `Bearer ${user.access_token}`);
    expect(res.status).toBe(403);
  });

  test('the user list pages with p/page_size, filters by keyword, and refuses page_size over 100', async () => {
    for (let i = 0; i < 3; i++) await createUser({ username: `page_${kind}_${i}`, password: 'password123' });

    const res = await asRoot(
      http()
        .get('/api/user/')
        .query({ p: 1, page_size: 2, keyword: `page_${kind}` }),
    );
    expect(res.body.data).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(res.body.data.items.map((u: { username: string }) => u.username)).toEqual([`page_${kind}_2`, `page_${kind}_1`]);
    const page2 = await asRoot(
      http()
        .get('/api/user/')
        .query({ p: 2, page_size: 2, keyword: `page_${kind}` }),
    );
    expect(page2.body.data.items).toHaveLength(1);
    const tooBig = await asRoot(http().get('/api/user/').query({ page_size: 1000 }));
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.message).toMatch(/page_size/);
  });
});
