import type { Context } from 'koa';
import { localApiNeedsToken } from '../../api/local-access';
import { Device, DeviceAccount } from '../../db/entities';
import { DB_KINDS } from '../support/databases';
import { startDeviceHarness, warmup, type DeviceHarness } from '../device-tasks/harness';

describe.each(DB_KINDS)('TikMatrix devices, accounts and licence (%s)', (kind) => {
  let h: DeviceHarness;
  beforeAll(async () => {
    // No worker: tasks created here stay pending, which is what the refusals below need.
    h = await startDeviceHarness(kind, { DEVICE_LIMIT: '3' }, { worker: false });
  });
  afterAll(() => h?.close());

  const devices = () => h.t.db.orm.em.fork().count(Device, {});

  test('license/check reports the plan, API access and the device limit', async () => {
    const res = await h.http().get('/api/v1/license/check');
    expect(res.body).toEqual({ code: 0, message: 'success', data: { plan_name: 'Pro', api_enabled: true, device_limit: 3, message: 'API access enabled' } });
  });

  test('a phone is registered by serial, updated by posting it again, listed and removed', async () => {
    const serial = `emulator-${kind}-1`;
    const created = await h
      .http()
      .post('/api/v1/device')
      .send({ serial, name: 'desk', capabilities: { systemPort: 8201 } });
    expect(created.body).toMatchObject({ code: 0, data: { serial, name: 'desk', capabilities: { systemPort: 8201 }, enabled: true } });
    const updated = await h.http().post('/api/v1/device').send({ serial, enabled: false });
    expect(updated.body.data).toMatchObject({ serial, name: 'desk', capabilities: { systemPort: 8201 }, enabled: false });

    const disabled = await h.http().get('/api/v1/device').query({ enabled: 'false' });
    expect(disabled.body.data.devices.map((d: { serial: string }) => d.serial)).toEqual([serial]);
    const removed = await h.http().delete('/api/v1/device').send({ serial });
    expect(removed.body).toEqual({ code: 0, message: 'success', data: { serial } });
    expect((await h.http().delete('/api/v1/device').send({ serial })).body).toMatchObject({ code: 40401, message: `device ${serial} is not registered` });
  });

  test('registering beyond the device limit answers 40301 and stores nothing; updating a registered phone still works', async () => {
    const serials = [`lim-${kind}-a`, `lim-${kind}-b`, `lim-${kind}-c`];
    for (const serial of serials) expect((await h.http().post('/api/v1/device').send({ serial })).body.code).toBe(0);
    const before = await devices();
    const refused = await h
      .http()
      .post('/api/v1/device')
      .send({ serial: `lim-${kind}-d` });
    expect(refused.body).toMatchObject({ code: 40301, message: 'device limit reached: the plan allows 3 devices and 3 are registered' });
    expect(await devices()).toBe(before);
    expect((await h.http().post('/api/v1/device').send({ serial: serials[0], name: 'renamed' })).body.data.name).toBe('renamed');
    for (const serial of serials) await h.http().delete('/api/v1/device').send({ serial });
  });

  test('bad device input is refused with 40001: a serial with spaces, an unknown field', async () => {
    const spaced = await h.http().post('/api/v1/device').send({ serial: 'my phone' });
    expect(spaced.body).toMatchObject({ code: 40001, message: expect.stringMatching(/serial: must be an adb serial/) });
    const extra = await h.http().post('/api/v1/device').send({ serial: 'x1', colour: 'red' });
    expect(extra.body).toMatchObject({ code: 40001, message: expect.stringMatching(/colour: unknown field/) });
  });

  test('an account is bound to a registered phone; "@" is dropped; it is listed per phone and removed', async () => {
    const serial = await h.addPhone();
    const unbound = await h.http().post('/api/v1/account').send({ username: 'ghost', device: 'NOT-REGISTERED' });
    expect(unbound.body).toMatchObject({ code: 40001, message: 'device NOT-REGISTERED is not registered; register it with POST /api/v1/device first' });

    const created = await h
      .http()
      .post('/api/v1/account')
      .send({ username: `@acct_${kind}`, device: serial, package: 'com.zhiliaoapp.musically.go' });
    expect(created.body.data).toMatchObject({ username: `acct_${kind}`, device: serial, package: 'com.zhiliaoapp.musically.go', enabled: true });
    const listed = await h.http().get('/api/v1/account').query({ device: serial });
    expect(listed.body.data).toMatchObject({ total: 1, accounts: [{ username: `acct_${kind}` }] });
    const badPackage = await h
      .http()
      .post('/api/v1/account')
      .send({ username: `acct_${kind}`, device: serial, package: 'not a package' });
    expect(badPackage.body.code).toBe(40001);

    expect(
      (
        await h
          .http()
          .delete('/api/v1/account')
          .send({ username: `acct_${kind}` })
      ).body.code,
    ).toBe(0);
    expect(await h.t.db.orm.em.fork().count(DeviceAccount, { username: `acct_${kind}` })).toBe(0);
  });

  test('a phone or account with unfinished tasks cannot be removed', async () => {
    const serial = await h.addPhone();
    await h.addAccount(`busy_${kind}`, serial);
    await h.create({ usernames: [`busy_${kind}`], script_name: 'account_warmup', script_config: warmup(5) });

    const device = await h.http().delete('/api/v1/device').send({ serial });
    expect(device.body).toMatchObject({ code: 40001, message: `device ${serial} has 1 pending or running tasks; stop or delete them first` });
    const account = await h
      .http()
      .delete('/api/v1/account')
      .send({ username: `busy_${kind}` });
    expect(account.body).toMatchObject({ code: 40001, message: `account busy_${kind} has 1 pending or running tasks; stop or delete them first` });
    expect(await h.t.db.orm.em.fork().count(Device, { serial })).toBe(1);
  });

  test('the OpenAPI document describes the TikMatrix routes', async () => {
    const doc = (await h.http().get('/openapi.json')).body as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/task',
      '/api/v1/task/{id}',
      '/api/v1/task/{id}/stop',
      '/api/v1/task/batch',
      '/api/v1/task/retry-all',
      '/api/v1/task/stats',
      '/api/v1/license/check',
      '/api/v1/device',
      '/api/v1/account',
    ]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
});

describe.each(DB_KINDS)('TikMatrix licence plans and access (%s)', (kind) => {
  test('on the Starter plan the task API and license/check answer 40301; phones can still be registered', async () => {
    const h = await startDeviceHarness(kind, { LICENSE_PLAN: 'Starter' }, { worker: false });
    try {
      const check = await h.http().get('/api/v1/license/check');
      expect(check.body).toMatchObject({
        code: 40301,
        message: expect.stringMatching(/requires the Pro, Team or Business plan; this server runs the Starter plan/),
      });
      expect(check.status).toBe(403);
      const serial = await h.addPhone(undefined, {});
      for (const res of [
        await h
          .http()
          .post('/api/v1/task')
          .send({ serials: [serial], script_name: 'account_warmup', script_config: warmup(5) }),
        await h.http().get('/api/v1/task'),
        await h.http().get('/api/v1/task/stats'),
        await h.http().post('/api/v1/task/retry-all'),
      ]) {
        expect(res.body.code).toBe(40301);
      }
    } finally {
      await h.close();
    }
  });

  test('with TIKMATRIX_API_ACCESS=token every /api/v1 call needs an admin access token', async () => {
    const h = await startDeviceHarness(kind, { TIKMATRIX_API_ACCESS: 'token' }, { worker: false });
    try {
      const anonymous = await h.http().get('/api/v1/device');
      expect(anonymous.body).toMatchObject({ code: 40001, message: 'missing access token (Authorization: Bearer <token>)' });
      expect(anonymous.status).toBe(401);
      const admin = await h.http().get('/api/v1/device').set('Authorization', `Bearer ${h.t.rootToken}`);
      expect(admin.body.code).toBe(0);
      const user = await h
        .http()
        .post('/api/user/')
        .set('Authorization', `Bearer ${h.t.rootToken}`)
        .send({ username: `tm_user_${kind}`, password: 'password123' });
      const asUser = await h.http().get('/api/v1/task').set('Authorization', `Bearer ${user.body.data.access_token}`);
      expect(asUser.status).toBe(403);
    } finally {
      await h.close();
    }
  });
});

describe('who may call the TikMatrix API without a token', () => {
  const peer = (remoteAddress: string) => ({ req: { socket: { remoteAddress } } }) as unknown as Context;

  test('by default only callers on this host (loopback, IPv4 or IPv6) go without a token', () => {
    for (const local of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) expect(localApiNeedsToken(peer(local), 'local')).toBe(false);
    for (const remote of ['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7', 'fe80::1']) expect(localApiNeedsToken(peer(remote), 'local')).toBe(true);
  });

  test('"token" asks everyone, "open" asks no one', () => {
    expect(localApiNeedsToken(peer('127.0.0.1'), 'token')).toBe(true);
    expect(localApiNeedsToken(peer('10.0.0.7'), 'open')).toBe(false);
  });
});
