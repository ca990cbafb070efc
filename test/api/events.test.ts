import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DeviceTask, Task } from '../../db/entities';
import type { Em } from '../../db/orm';
import { createTestApp, type TestApp } from '../support/app';
import { DB_KINDS } from '../support/databases';

/** One parsed SSE message (comments are kept as `comment`). */
interface SseMessage {
  event?: string;
  data?: unknown;
  comment?: string;
  retry?: number;
}

/** An open /api/events stream read over real HTTP, with every message it has delivered so far. */
interface OpenStream {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Waits (bounded) until a message matching `match` has arrived, and returns it. */
  next(match: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

function parse(block: string): SseMessage {
  const m: SseMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) m.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) m.event = line.slice(7);
    else if (line.startsWith('data: ')) m.data = JSON.parse(line.slice(6));
    else if (line.startsWith('retry: ')) m.retry = Number(line.slice(7));
  }
  return m;
}

async function openStream(base: string, token: string | undefined, query = ''): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/events${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          messages.push(parse(buffer.slice(0, cut)));
          buffer = buffer.slice(cut + 2);
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    messages,
    ended,
    async next(match, timeoutMs = 10_000) {
      const found = () => messages.find(match);
      const deadline = Date.now() + timeoutMs;
      while (!found() && Date.now() < deadline) {
        await Promise.race([new Promise<void>((r) => waiters.add(r)), new Promise((r) => setTimeout(r, 100)), ended]);
      }
      const hit = found();
      if (!hit) throw new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
      return hit;
    },
    close: () => abort.abort(),
  };
}

describe.each(DB_KINDS)('GET /api/events (%s)', (kind) => {
  let t: TestApp;
  let server: http.Server;
  let base: string;
  let alice: { id: number; token: string };
  let bob: { id: number; token: string };

  beforeAll(async () => {
    t = await createTestApp(kind, { EVENTS_POLL_MS: '100', EVENTS_MAX_PER_USER: '2', EVENTS_HEARTBEAT_SECONDS: '0.3' });
    server = http.createServer(t.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const make = async (username: string) => {
      const res = await request(t.app.callback())
        .post('/api/user/')
        .set('Authorization', `Bearer ${t.rootToken}`)
        .send({ username: `${username}_${kind}`, password: 'password123', quota: 1_000_000 });
      return { id: res.body.data.id as number, token: res.body.data.access_token as string };
    };
    alice = await make('alice');
    bob = await make('bob');
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await t?.close();
  });

  /** What a worker (another process) does: insert a task, then project a state change onto it. */
  async function taskOf(userId: number) {
    const { task } = await t.deps.services.tasks.create({ platform: 'suno', action: 'MUSIC', userId, tokenId: null, quota: 100, properties: {} });
    return task;
  }

  it('refuses callers without a valid access token, and scope=all from non-admins, with the envelope and no stream', async () => {
    const anonymous = await request(t.app.callback()).get('/api/events');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ success: false });
    const wrong = await request(t.app.callback()).get('/api/events').set('Authorization', 'Bearer not-a-token');
    expect(wrong.status).toBe(401);
    const notAdmin = await request(t.app.callback()).get('/api/events?scope=all').set('Authorization', `Bearer ${alice.token}`);
    expect(notAdmin.status).toBe(403);
    const bad = await request(t.app.callback()).get('/api/events?scope=everything').set('Authorization', `Bearer ${alice.token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/scope/);
    expect(t.deps.events.size()).toBe(0);
  });

  it("streams the caller's own task changes, and not other users'", async () => {
    const stream = await openStream(base, alice.token);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get('cache-control')).toMatch(/no-cache/);
      const ready = await stream.next((m) => m.event === 'ready');
      expect(ready.data).toMatchObject({ scope: 'self' });
      expect(stream.messages[0]?.retry).toBeGreaterThan(0);

      const theirs = await taskOf(bob.id);
      await t.deps.services.tasks.apply(theirs.taskId, 1, { status: 'IN_PROGRESS', progress: '40%' });
      const mine = await taskOf(alice.id);
      expect(await t.deps.services.tasks.apply(mine.taskId, 1, { status: 'IN_PROGRESS', progress: '30%', channelId: 7 })).toBe(true);
      const running = await stream.next((m) => m.event === 'task' && (m.data as { status: string }).status === 'IN_PROGRESS');
      expect(running.data).toMatchObject({ task_id: mine.taskId, user_id: alice.id, progress: '30%', quota: 100 });
      // As in /api/task/self (new-api's user list): the channel stays the operator's business.
      expect(running.data).toMatchObject({ channel_id: 0 });

      await t.deps.services.tasks.apply(mine.taskId, 2, { status: 'SUCCESS', progress: '100%' });
      await stream.next((m) => m.event === 'task' && (m.data as { status: string }).status === 'SUCCESS');
      const taskIds = stream.messages.filter((m) => m.event === 'task').map((m) => (m.data as { task_id: string }).task_id);
      expect(taskIds).not.toContain(theirs.taskId);

      // A worker whose clock runs 3 s behind stamps a time the feed has already passed: the reread window still finds it.
      const late = await taskOf(alice.id);
      await t.db.orm.em.fork().nativeUpdate(Task, { taskId: late.taskId }, { status: 'QUEUED', seq: 1, updatedAt: Math.floor(Date.now() / 1000) - 3 });
      await stream.next(
        (m) =>
          m.event === 'task' && (m.data as { task_id: string; status: string }).task_id === late.taskId && (m.data as { status: string }).status === 'QUEUED',
      );
    } finally {
      stream.close();
    }
  });

  it("gives admins with scope=all everyone's generation tasks (with channel_id) and device tasks", async () => {
    const stream = await openStream(base, t.rootToken, '?scope=all');
    try {
      await stream.next((m) => m.event === 'ready');
      const task = await taskOf(bob.id);
      await t.deps.services.tasks.apply(task.taskId, 1, { status: 'SUBMITTED' });
      const seen = await stream.next((m) => m.event === 'task' && (m.data as { task_id: string }).task_id === task.taskId);
      expect(seen.data).toMatchObject({ user_id: bob.id, channel_id: 0, status: 'SUBMITTED' });

      const em = t.db.orm.em.fork() as Em;
      const now = Date.now();
      const row = em.create(DeviceTask, { serial: 'EVT-1', scriptName: 'follow', scriptConfig: {}, workflowId: 'device-evt', createdAt: now, updatedAt: now });
      await em.flush();
      await t.deps.services.deviceTasks.apply(row.id, 1, { status: 1, startedAt: Date.now() });
      const device = await stream.next((m) => m.event === 'device_task' && (m.data as { id: number }).id === row.id);
      expect(device.data).toMatchObject({ serial: 'EVT-1', status: 1, script_name: 'follow' });
    } finally {
      stream.close();
    }
  });

  it('is bounded: heartbeats, a per-user cap (429 in the envelope) that frees up when a stream closes', async () => {
    const first = await openStream(base, bob.token);
    const second = await openStream(base, bob.token);
    try {
      await first.next((m) => m.event === 'ready');
      await second.next((m) => m.event === 'ready');
      const third = await request(t.app.callback()).get('/api/events').set('Authorization', `Bearer ${bob.token}`);
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({ success: false, message: expect.stringMatching(/EVENTS_MAX_PER_USER/) });
      await first.next((m) => m.comment === 'keep-alive');

      first.close();
      await first.ended;
      let again: OpenStream | undefined;
      for (let i = 0; i < 50 && !again; i++) {
        const attempt = await openStream(base, bob.token);
        if (attempt.status === 200) again = attempt;
        else await new Promise((r) => setTimeout(r, 100));
      }
      expect(again?.status).toBe(200);
      again?.close();
    } finally {
      first.close();
      second.close();
    }
  });

  it('ends each stream after EVENTS_MAX_SECONDS with a bye, and every stream on shutdown', async () => {
    const short = await createTestApp(kind, { EVENTS_POLL_MS: '100', EVENTS_MAX_SECONDS: '0.5' });
    const srv = http.createServer(short.app.callback());
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const stream = await openStream(url, short.rootToken);
      await stream.ended;
      expect(stream.messages.at(-1)).toMatchObject({ event: 'bye', data: { reason: 'max_lifetime' } });

      const long = await createTestApp(kind, { EVENTS_POLL_MS: '100' });
      const srv2 = http.createServer(long.app.callback());
      await new Promise<void>((r) => srv2.listen(0, '127.0.0.1', r));
      try {
        const open = await openStream(`http://127.0.0.1:${(srv2.address() as AddressInfo).port}`, long.rootToken);
        await open.next((m) => m.event === 'ready');
        await long.deps.events.close();
        await open.ended;
        expect(open.messages.at(-1)).toMatchObject({ event: 'bye', data: { reason: 'shutdown' } });
        expect(long.deps.events.size()).toBe(0);
      } finally {
        srv2.closeAllConnections();
        await new Promise((r) => srv2.close(r));
        await long.close();
      }
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(r));
      await short.close();
    }
  });

  it('is in the OpenAPI document as a text/event-stream route', async () => {
    const doc = (await request(t.app.callback()).get('/openapi.json')).body;
    const op = doc.paths['/api/events'].get;
    expect(Object.keys(op.responses[200].content)).toEqual(['text/event-stream']);
    expect(op.summary).toMatch(/Server-Sent Events/);
    expect(op.security).toEqual([{ accessToken: [] }]);
  });
});
