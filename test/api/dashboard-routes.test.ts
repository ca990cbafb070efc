import request from 'supertest';
import { SCRIPT_NAMES } from '../../devices';
import { createTestApp, type TestApp } from '../support/app';
import { DB_KINDS } from '../support/databases';

/** The routes the dashboard added: /api/status, the ledger listing, the chart aggregates, the script schemas. */

describe('GET /api/status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { TEMPORAL_UI_URL: 'http://ui.example:8080/', EVENTS_MAX_SECONDS: '120' });
  });
  afterAll(() => t?.close());

  it('answers anyone with the Temporal UI address (no trailing slash), the units and the event bounds', async () => {
    const res = await request(t.app.callback()).get('/api/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      data: {
        system_name: 'taskhub',
        temporal_ui_url: 'http://ui.example:8080',
        temporal_namespace: 'default',
        quota_per_unit: 500_000,
        events: { max_seconds: 120, heartbeat_seconds: 15, max_per_user: 5 },
      },
    });
  });

  it('says null when no Temporal UI is known', async () => {
    const bare = await createTestApp('sqlite');
    try {
      expect((await request(bare.app.callback()).get('/api/status')).body.data.temporal_ui_url).toBeNull();
    } finally {
      await bare.close();
    }
  });
});

describe('GET /api/v1/script', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t?.close());

  it('lists every script with its script_config JSON Schema, derived from the schema that validates it', async () => {
    const res = await request(t.app.callback()).get('/api/v1/script');
    expect(res.body.code).toBe(0);
    const scripts = res.body.data.scripts as { name: string; config_schema: { type: string; properties: Record<string, unknown>; required?: string[] } }[];
    expect(scripts.map((s) => s.name)).toEqual([...SCRIPT_NAMES]);
    const byName = Object.fromEntries(scripts.map((s) => [s.name, s.config_schema]));
    expect(byName.login).toMatchObject({ type: 'object', required: ['password'] });
    expect(byName.account_warmup.properties.task_duration).toMatchObject({ type: 'integer', minimum: 1, maximum: 86_400 });
    expect(byName.follow.properties.access_method).toMatchObject({ enum: ['direct', 'search'] });

    // What the schema says is required, the task API requires: the two cannot disagree.
    const refused = await request(t.app.callback())
      .post('/api/v1/task')
      .send({ serials: ['nobody'], script_name: 'login', script_config: {} });
    expect(refused.body.code).not.toBe(0);
  });
});

describe.each(DB_KINDS)('ledger entries and chart aggregates (%s)', (kind) => {
  let t: TestApp;
  let alice: { id: number; token: string };
  let bob: { id: number; token: string };
  const http = () => request(t.app.callback());
  const root = (req: request.Test) => req.set('Authorization', `Bearer ${t.rootToken}`);

  beforeAll(async () => {
    t = await createTestApp(kind);
    const make = async (name: string, quota: number) => {
      const res = await root(http().post('/api/user/')).send({ username: `${name}_${kind}`, password: 'password123', quota });
      return { id: res.body.data.id as number, token: res.body.data.access_token as string };
    };
    alice = await make('alice', 1_000_000);
    bob = await make('bob', 500_000);
    // Two tasks charged now, one of them refunded; and an admin adjustment.
    const a = await t.deps.services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: alice.id, tokenId: null, quota: 50_000, properties: {} });
    await t.deps.services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: alice.id, tokenId: null, quota: 50_000, properties: {} });
    await t.deps.services.tasks.apply(a.task.taskId, 1, { status: 'FAILURE', submitTime: Math.floor(Date.now() / 1000) });
    await t.deps.services.ledger.refund(`suno:${a.task.taskId}`, 'failed');
    await t.deps.services.tasks.create({ platform: 'suno', action: 'MUSIC', userId: bob.id, tokenId: null, quota: 50_000, properties: {} });
    expect((await root(http().put('/api/user/')).send({ id: alice.id, quota: 2_000_000 })).status).toBe(200);
  });
  afterAll(() => t?.close());

  it("lists one user's entries newest first for admins, in new-api's paging, with filters", async () => {
    const res = await root(http().get('/api/log/')).query({ user_id: alice.id, p: 1, page_size: 10 });
    expect(res.status).toBe(200);
    const { items, total } = res.body.data;
    expect(total).toBe(5);
    expect(items.map((e: { kind: string }) => e.kind)).toEqual(['adjustment', 'refund', 'charge', 'charge', 'topup']);
    expect(items[0]).toMatchObject({ user_id: alice.id, type: 3, amount: 1_050_000, balance_after: 2_000_000 });
    expect(items[2]).toMatchObject({ type: 2, amount: -50_000, task_ref: expect.stringMatching(/^suno:task_/) });
    expect(items.every((e: { created_at: number }) => e.created_at < 1e11)).toBe(true);

    const charges = await root(http().get('/api/log/')).query({ user_id: alice.id, kind: 'charge' });
    expect(charges.body.data.total).toBe(2);
    const all = await root(http().get('/api/log/'));
    // alice's five and bob's opening balance and charge; root has no entries.
    expect(all.body.data.total).toBe(7);
  });

  it('gives users their own entries only, and admins-only routes refuse them', async () => {
    const own = await http().get('/api/log/self').set('Authorization', `Bearer ${bob.token}`);
    expect(own.body.data.items.map((e: { user_id: number }) => e.user_id)).toEqual([bob.id, bob.id]);
    const refused = await http().get('/api/log/').query({ user_id: alice.id }).set('Authorization', `Bearer ${bob.token}`);
    expect(refused.status).toBe(403);
    expect(refused.body.success).toBe(false);
    const bad = await root(http().get('/api/log/')).query({ kind: 'bribe' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/kind/);
  });

  it('counts tasks per hour by status, per user or (admins) for everyone', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3600;
    const mine = await http().get('/api/stats/tasks').set('Authorization', `Bearer ${alice.token}`);
    expect(mine.status).toBe(200);
    // submit_time 0 is "not submitted yet": only the task stamped above counts.
    expect(mine.body.data).toEqual([{ hour, status: 'FAILURE', count: 1 }]);
    const everyone = await root(http().get('/api/stats/tasks')).query({ scope: 'all', hours: 24 });
    expect(everyone.body.data).toEqual([{ hour, status: 'FAILURE', count: 1 }]);
    const refused = await http().get('/api/stats/tasks').query({ scope: 'all' }).set('Authorization', `Bearer ${alice.token}`);
    expect(refused.status).toBe(403);
    expect((await http().get('/api/stats/tasks').query({ hours: 0 }).set('Authorization', `Bearer ${alice.token}`)).status).toBe(400);
  });

  it('sums quota charged, refunded and spent per day from the ledger', async () => {
    const offset = 120;
    const res = await http().get('/api/stats/quota').query({ days: 7, utc_offset: offset }).set('Authorization', `Bearer ${alice.token}`);
    expect(res.status).toBe(200);
    const dayStart = Math.floor((Date.now() / 1000 + offset * 60) / 86_400) * 86_400 - offset * 60;
    expect(res.body.data).toEqual([{ day: dayStart, charged: 100_000, refunded: 50_000, spent: 50_000 }]);
    const everyone = await root(http().get('/api/stats/quota')).query({ scope: 'all', utc_offset: offset });
    expect(everyone.body.data).toEqual([{ day: dayStart, charged: 150_000, refunded: 50_000, spent: 100_000 }]);
    expect((await http().get('/api/stats/quota').query({ utc_offset: 9999 }).set('Authorization', `Bearer ${alice.token}`)).status).toBe(400);
  });
});
