import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowNotFoundError } from '@temporalio/client';
import { MjTask } from '../../db/entities';
import { mjNotifyWorkflowId } from '../../domain';
import { DB_KINDS } from '../support/databases';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

/** A notifyHook receiver on 127.0.0.1 that answers 500 to its first `failFirst` requests. */
async function startReceiver(failFirst: number) {
  const received: { headers: http.IncomingHttpHeaders; body: string; answered: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = received.length < failFirst ? 500 : 204;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mj-callback?src=taskhub`,
    host: `127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const STATUSES = ['NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL', 'SUCCESS', 'FAILURE'];

/** Waits for every delivery the task can have started; afterwards nothing more can arrive. */
async function settledDeliveries(h: MjHarness, mjId: string): Promise<string[]> {
  const started: string[] = [];
  for (const status of STATUSES) {
    const handle = h.worker.temporal.client.workflow.getHandle(mjNotifyWorkflowId(mjId, status));
    try {
      await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) continue;
      throw err;
    }
    await handle.result();
    started.push(status);
  }
  return started;
}

describe.each(DB_KINDS)('notifyHook with MJ_NOTIFY_ENABLED (%s)', (kind) => {
  let h: MjHarness;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    hook = await startReceiver(2);
    h = await startMjHarness(kind, { MJ_NOTIFY_ENABLED: 'true', MJ_NOTIFY_ALLOWED_HOSTS: hook.host });
    await h.addChannel();
  });
  afterAll(async () => {
    await h?.close();
    await hook?.close();
  });

  test('a hook that fails twice then succeeds gets each status change once, signed, as the task JSON', async () => {
    const mjId = (await h.submit('imagine', { prompt: 'call me back', notifyHook: hook.url })).body.result!;
    await h.waitFor(mjId, ['SUCCESS']);
    const started = await settledDeliveries(h, mjId);
    expect(started).toEqual(expect.arrayContaining(['SUBMITTED', 'SUCCESS']));

    const delivered = hook.received.filter((r) => r.answered === 204);
    expect(hook.received).toHaveLength(delivered.length + 2);
    const statuses = delivered.map((r) => JSON.parse(r.body).status);
    expect([...statuses].sort()).toEqual([...started].sort());

    // Signed with the submitting key: HMAC-SHA256 keyed by its SHA-256 hex, over "<t>.<body>".
    const signingKey = createHash('sha256').update(h.user.key).digest('hex');
    for (const r of delivered) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-taskhub-signature']))!;
      expect(createHmac('sha256', signingKey).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
      expect(r.headers['x-taskhub-delivery']).toBe(mjNotifyWorkflowId(mjId, JSON.parse(r.body).status));
      expect(r.headers['content-type']).toBe('application/json');
    }
    const success = JSON.parse(delivered.find((r) => JSON.parse(r.body).status === 'SUCCESS')!.body);
    expect(success).toEqual((await h.http().get(`/mj/task/${mjId}/fetch`).set('mj-api-secret', h.user.key)).body);
  });

  test('a hook at a private address is refused at submit with code 4: nothing held, nothing created', async () => {
    const count = () => h.t.db.orm.em.fork().count(MjTask, {});
    const before = { rows: await count(), quota: await h.quota() };
    for (const notifyHook of [
      'http://10.0.0.7/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://127.0.0.1:9/not-allowed',
      'http://[::1]:80/x',
      'ftp://example.com/x',
      'not a url',
    ]) {
      const res = await h.submit('imagine', { prompt: 'x', notifyHook });
      expect({ notifyHook, status: res.status, code: res.body.code, result: res.body.result }).toEqual({ notifyHook, status: 400, code: 4, result: null });
      expect(res.body.description).toMatch(/notifyHook refused/);
    }
    expect({ rows: await count(), quota: await h.quota() }).toEqual(before);
  });
});

describe.each(DB_KINDS)('notifyHook off (the default) (%s)', (kind) => {
  let h: MjHarness;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    hook = await startReceiver(0);
    h = await startMjHarness(kind, { MJ_NOTIFY_ALLOWED_HOSTS: hook.host });
    await h.addChannel();
  });
  afterAll(async () => {
    await h?.close();
    await hook?.close();
  });

  test('the hook is ignored, as new-api does with MjNotifyEnabled off: no delivery is started, nothing is sent', async () => {
    const mjId = (await h.submit('imagine', { prompt: 'quiet', notifyHook: hook.url })).body.result!;
    await h.waitFor(mjId, ['SUCCESS']);
    expect(await settledDeliveries(h, mjId)).toEqual([]);
    expect(hook.received).toEqual([]);
    // A private address is not even looked at.
    expect((await h.submit('imagine', { prompt: 'private hook', notifyHook: 'http://10.0.0.7/hook' })).body.code).toBe(1);
  });
});
