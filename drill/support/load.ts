import path from 'node:path';
import { AmbiguousRequest, type ApiPool } from './api-pool';

/** What the drill asked for, and what it expects the upstream to do with it. */
export interface Submitted {
  kind: 'suno' | 'midjourney' | 'device';
  id: string;
  /** The fate the drill chose at the upstream (prompt marker); device scripts always succeed. */
  intended: 'success' | 'fail';
  at: number;
}

export interface Tenant {
  accessToken: string;
  key: string;
  phones: string[];
}

/** The fixture screen every drill phone shows: a feed to warm up on (see test/devices/fixtures). */
export function warmupFixture(root: string): string {
  return path.join(root, 'test/devices/fixtures/warmup.xml');
}

function mustOk(what: string, reply: { status: number; body: any }): any {
  const ok = reply.status === 200 && (reply.body?.success === true || reply.body?.code === 0 || reply.body?.code === 'success');
  if (!ok) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.data;
}

/** A user with quota and an sk- key, a channel per simulator, and `phones` fake phones: all through the API, as an admin would. */
export async function setUpTenant(
  pool: ApiPool,
  adminToken: string,
  sims: { suno: { url: string; secret: string }; midjourney: { url: string; secret: string } },
  phones: number,
  fixture: string,
  quota: number,
): Promise<Tenant> {
  const admin = { Authorization: `Bearer ${adminToken}` };
  const user = mustOk(
    'create user',
    await pool.call('POST', '/api/user/', { headers: admin, body: { username: `drill_${Date.now()}`, password: 'drill-password', quota } }),
  );
  const me = { Authorization: `Bearer ${user.access_token}` };
  const token = mustOk('create key', await pool.call('POST', '/api/token/', { headers: me, body: { name: 'drill', unlimited_quota: true } }));
  mustOk(
    'suno channel',
    await pool.call('POST', '/api/channel/', { headers: admin, body: { type: 36, name: 'suno-sim', key: sims.suno.secret, base_url: sims.suno.url } }),
  );
  mustOk(
    'midjourney channel',
    await pool.call('POST', '/api/channel/', {
      headers: admin,
      body: { type: 2, name: 'mj-sim', key: sims.midjourney.secret, base_url: sims.midjourney.url },
    }),
  );
  const serials: string[] = [];
  for (let i = 0; i < phones; i++) {
    const serial = `DRILL-PHONE-${i + 1}`;
    const capabilities = { platformName: 'Fake', 'appium:automationName': 'Fake', 'appium:app': fixture };
    mustOk(`phone ${serial}`, await pool.call('POST', '/api/v1/device', { body: { serial, name: serial, capabilities } }));
    serials.push(serial);
  }
  return { accessToken: user.access_token, key: token.key, phones: serials };
}

/** Submits one Suno song; the Idempotency-Key makes a retry on the other API safe. */
export async function submitSong(pool: ApiPool, tenant: Tenant, n: number, fail: boolean): Promise<Submitted> {
  const prompt = `drill song ${n}${fail ? ' [sim:fail]' : ''}`;
  const data = mustOk(
    `suno ${n}`,
    await pool.call('POST', '/suno/submit/music', {
      headers: { Authorization: `Bearer ${tenant.key}`, 'Idempotency-Key': `drill-suno-${n}` },
      body: { prompt },
      idempotent: true,
    }),
  );
  return { kind: 'suno', id: String(data), intended: fail ? 'fail' : 'success', at: Date.now() };
}

/**
 * Submits one Midjourney imagine, with an Idempotency-Key too. A refusal (no `result`: its
 * start was refused while Temporal was down and the task was refunded) is an answer, not a
 * load failure; its row is checked with the others.
 */
export async function submitImage(pool: ApiPool, tenant: Tenant, n: number, fail: boolean): Promise<Submitted[]> {
  const prompt = `drill image ${n}${fail ? ' [sim:fail]' : ''}`;
  const reply = await pool.call('POST', '/mj/submit/imagine', {
    headers: { Authorization: `Bearer ${tenant.key}`, 'Idempotency-Key': `drill-mj-${n}` },
    body: { prompt },
    idempotent: true,
  });
  if (reply.status !== 200 || typeof reply.body?.code !== 'number') throw new Error(`midjourney ${n}: ${reply.status} ${JSON.stringify(reply.body)}`);
  if (typeof reply.body.result !== 'string') return [];
  return [{ kind: 'midjourney', id: reply.body.result, intended: fail ? 'fail' : 'success', at: Date.now() }];
}

/**
 * Queues a warm-up of `seconds` on a phone. Creating device tasks has no idempotency key, so
 * a request whose connection broke is not sent again; its tasks, if any, are still checked
 * with every other row at the end.
 */
export async function queueWarmup(pool: ApiPool, serial: string, seconds: number): Promise<Submitted[]> {
  try {
    const data = mustOk(
      `device task on ${serial}`,
      await pool.call('POST', '/api/v1/task', {
        body: { serials: [serial], script_name: 'account_warmup', script_config: { task_duration: seconds, min_duration: 0.2, max_duration: 0.5 } },
      }),
    );
    return (data.task_ids as number[]).map((id) => ({ kind: 'device', id: String(id), intended: 'success', at: Date.now() }));
  } catch (err) {
    if (err instanceof AmbiguousRequest) return [];
    throw err;
  }
}
