import { startSunoSimulator, type MusicTask, type SunoSimulator, type SunoTask, type LyricsTask } from './index';

const SECRET = 'test-secret';
const STEP_MS = 1000;
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

interface Reply {
  status: number;
  text: string;
  json: { code: string; message: string; data: unknown } | undefined;
}

let sim: SunoSimulator;
let clock = T0;

async function call(path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = init.auth === undefined ? `Bearer ${SECRET}` : init.auth;
  if (auth !== null) headers.authorization = auth;
  const res = await fetch(`${sim.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let json: Reply['json'];
  try {
    json = JSON.parse(text) as Reply['json'];
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

async function submitMusic(body: Record<string, unknown> = {}): Promise<string> {
  const r = await call('/suno/submit/music', { body: { prompt: 'a song about tests', mv: 'chirp-v3-5', title: 'Tests', tags: 'pop', ...body } });
  expect(r.status).toBe(200);
  expect(r.json?.code).toBe('success');
  return r.json!.data as string;
}

async function fetchBatch(ids: string[]): Promise<SunoTask[]> {
  const r = await call('/suno/fetch', { body: { ids, action: 'MUSIC' } });
  expect(r.status).toBe(200);
  expect(r.json?.code).toBe('success');
  return r.json!.data as SunoTask[];
}

async function fetchOne(id: string): Promise<SunoTask> {
  const [task] = await fetchBatch([id]);
  expect(task).toBeDefined();
  return task!;
}

const advance = (steps: number): void => {
  clock += steps * STEP_MS;
};

/** Polls a condition a bounded number of times; used only where real I/O must catch up. */
async function waitFor(cond: () => boolean, attempts = 100, everyMs = 10): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}

describe('Suno-API simulator', () => {
  beforeEach(async () => {
    clock = T0;
    sim = await startSunoSimulator({ secret: SECRET, stepMs: STEP_MS, now: () => clock });
  });

  afterEach(async () => {
    await sim.stop();
  });

  describe('protocol', () => {
    it('walks a music task through SUBMITTED, QUEUED, IN_PROGRESS to SUCCESS as steps elapse', async () => {
      const id = await submitMusic();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);

      const submitted = (await fetchOne(id)) as MusicTask;
      expect(submitted).toMatchObject({
        task_id: id,
        action: 'MUSIC',
        status: 'SUBMITTED',
        fail_reason: '',
        submit_time: T0 / 1000,
        start_time: 0,
        finish_time: 0,
      });
      expect(submitted.data).toHaveLength(2);
      expect(submitted.data.every((c) => c.status === 'submitted' && c.audio_url === '')).toBe(true);

      advance(1);
      expect((await fetchOne(id)).status).toBe('QUEUED');

      advance(1);
      const running = (await fetchOne(id)) as MusicTask;
      expect(running).toMatchObject({ status: 'IN_PROGRESS', start_time: T0 / 1000 + 2, finish_time: 0 });
      expect(running.data.map((c) => c.status)).toEqual(['streaming', 'streaming']);

      advance(1);
      const done = (await fetchOne(id)) as MusicTask;
      expect(done).toMatchObject({ status: 'SUCCESS', start_time: T0 / 1000 + 2, finish_time: T0 / 1000 + 3 });
      for (const clip of done.data) {
        expect(clip).toMatchObject({
          status: 'complete',
          title: 'Tests',
          model_name: 'chirp-v3-5',
          major_model_version: 'v3.5',
          metadata: { tags: 'pop', prompt: 'a song about tests', error_type: null, error_message: null },
        });
        expect(clip.metadata.duration).toBeGreaterThan(0);
        expect(clip.audio_url).toBe(`${sim.url}/media/${clip.id}.mp3`);
      }
      expect(done.data[0]!.id).not.toBe(done.data[1]!.id);
    });

    it('serves small media bytes at the clip URLs it hands out', async () => {
      const id = await submitMusic();
      advance(3);
      const clip = ((await fetchOne(id)) as MusicTask).data[0]!;
      const audio = await fetch(clip.audio_url);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/mpeg');
      expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 3).toString()).toBe('ID3');
      expect((await fetch(clip.image_large_url)).headers.get('content-type')).toBe('image/jpeg');
      expect((await fetch(`${sim.url}/media/00000000-0000-0000-0000-000000000000.mp3`)).status).toBe(404);
    });

    it('accepts the upper-case action new-api puts in the submit URL', async () => {
      const r = await call('/suno/submit/MUSIC', { body: { gpt_description_prompt: 'lofi rain' } });
      expect(r.json?.code).toBe('success');
      expect(sim.task(r.json!.data as string)?.action).toBe('MUSIC');
    });

    it('returns one task from GET /suno/fetch/:id and a 404 envelope for an unknown id', async () => {
      const id = await submitMusic();
      const found = await call(`/suno/fetch/${id}`);
      expect(found.status).toBe(200);
      expect((found.json?.data as SunoTask).task_id).toBe(id);

      const missing = await call('/suno/fetch/does-not-exist');
      expect(missing.status).toBe(404);
      expect(missing.json?.code).not.toBe('success');
      expect(missing.json?.message).toBeTruthy();
    });

    it('generates lyrics that complete with text', async () => {
      const r = await call('/suno/submit/lyrics', { body: { prompt: 'winter trains' } });
      expect(r.json?.code).toBe('success');
      const id = r.json!.data as string;
      expect(((await fetchOne(id)) as LyricsTask).data).toMatchObject({ id, status: 'submitted', text: '' });

      advance(3);
      const done = (await fetchOne(id)) as LyricsTask;
      expect(done).toMatchObject({ action: 'LYRICS', status: 'SUCCESS', data: { id, status: 'complete' } });
      expect(done.data.text).toContain('winter trains');
      expect(done.data.title).toBe('winter trains');
    });

    it('rejects a lyrics submit without a prompt with 400', async () => {
      for (const body of [{}, { prompt: '' }, { prompt: '   ' }]) {
        const r = await call('/suno/submit/lyrics', { body });
        expect(r.status).toBe(400);
        expect(r.json?.code).not.toBe('success');
      }
      expect(sim.tasks()).toHaveLength(0);
    });

    it('rejects an unknown action, a malformed body and a continuation without task_id with 400', async () => {
      const bad = [
        await call('/suno/submit/video', { body: { prompt: 'x' } }),
        await call('/suno/submit/music', { body: { prompt: 42 } }),
        await call('/suno/submit/music', { body: { continue_clip_id: 'clip-1' } }),
      ];
      for (const r of bad) {
        expect(r.status).toBe(400);
        expect(r.json?.code).toBe('invalid_request');
      }
      expect(sim.tasks()).toHaveLength(0);
    });

    it('answers 401 in the envelope for a missing or wrong secret and counts it', async () => {
      for (const auth of [null, 'Bearer nope', SECRET]) {
        const r = await call('/suno/submit/music', { body: { prompt: 'x' }, auth });
        expect(r.status).toBe(401);
        expect(r.json).toMatchObject({ code: 'unauthorized', data: null });
      }
      expect((await call('/suno/fetch', { body: { ids: [] }, auth: null })).status).toBe(401);
      expect(sim.tasks()).toHaveLength(0);
      expect(sim.stats().unauthorized).toBe(4);
    });
  });

  describe('task outcomes', () => {
    it('omits unknown and dropped ids from a batch fetch while still letting tests inspect dropped tasks', async () => {
      const kept = await submitMusic();
      const dropped = await submitMusic({ prompt: 'gone [sim:drop]' });
      advance(3);

      const tasks = await fetchBatch([kept, dropped, 'never-submitted', kept]);
      expect(tasks.map((t) => t.task_id)).toEqual([kept]);
      expect((await call(`/suno/fetch/${dropped}`)).status).toBe(404);

      expect(sim.outcomeOf(dropped)).toBe('drop');
      expect(sim.task(dropped)?.status).toBe('SUCCESS');
    });

    it('fails a task marked [sim:fail] with a fail_reason and errored clips', async () => {
      const id = await submitMusic({ gpt_description_prompt: 'sad song [sim:fail]', prompt: '' });
      advance(2);
      expect((await fetchOne(id)).status).toBe('IN_PROGRESS');
      advance(1);
      const failed = (await fetchOne(id)) as MusicTask;
      expect(failed.status).toBe('FAILURE');
      expect(failed.fail_reason).toBeTruthy();
      expect(failed.finish_time).toBe(T0 / 1000 + 3);
      for (const clip of failed.data) {
        expect(clip.status).toBe('error');
        expect(clip.metadata.error_message).toBe(failed.fail_reason);
        expect(clip.audio_url).toBe('');
      }
    });

    it('applies the default outcome to unmarked prompts, and a marker overrides it', async () => {
      sim.configure({ defaultOutcome: 'fail' });
      const plain = await submitMusic();
      const rescued = await submitMusic({ prompt: 'fine [sim:success]' });
      advance(3);
      expect((await fetchOne(plain)).status).toBe('FAILURE');
      expect((await fetchOne(rescued)).status).toBe('SUCCESS');
    });

    it('keeps a [sim:stall] task IN_PROGRESS forever until forced to complete', async () => {
      const id = await submitMusic({ prompt: 'stuck [sim:stall]' });
      clock += 24 * 3600 * 1000;
      const stuck = (await fetchOne(id)) as MusicTask;
      expect(stuck).toMatchObject({ status: 'IN_PROGRESS', finish_time: 0 });
      expect(stuck.data.map((c) => c.status)).toEqual(['streaming', 'streaming']);

      sim.complete(id);
      const done = await fetchOne(id);
      expect(done.status).toBe('SUCCESS');
      expect(done.finish_time).toBe(Math.floor(clock / 1000));
      expect(() => sim.fail(id, 'too late')).toThrow(/already SUCCESS/);
    });

    it('fails a running task on demand with the given reason', async () => {
      const id = await submitMusic();
      const forced = sim.fail(id, 'moderation rejected');
      expect(forced).toMatchObject({ status: 'FAILURE', fail_reason: 'moderation rejected' });
      expect(await fetchOne(id)).toMatchObject({ status: 'FAILURE', fail_reason: 'moderation rejected' });
      expect(() => sim.complete('no-such-task')).toThrow(/unknown task/);
    });

    it('finishes immediately when stepMs is 0, and new settings leave existing tasks alone', async () => {
      const slow = await submitMusic();
      sim.configure({ stepMs: 0 });
      const fast = await submitMusic();
      expect((await fetchOne(fast)).status).toBe('SUCCESS');
      expect((await fetchOne(slow)).status).toBe('SUBMITTED');
    });
  });

  describe('request faults', () => {
    it('consumes queued submit faults in order: 429, 500, garbage, bad request, then recovers', async () => {
      sim.injectFaults('submit', [{ status: 429 }, { status: 500 }, { garbage: true }, { reject: 'bad request' }]);
      const body = { prompt: 'x' };

      const r429 = await call('/suno/submit/music', { body });
      expect(r429.status).toBe(429);
      expect(r429.json?.code).not.toBe('success');

      const r500 = await call('/suno/submit/music', { body });
      expect(r500.status).toBe(500);
      expect(r500.json?.code).not.toBe('success');

      const garbage = await call('/suno/submit/music', { body });
      expect(garbage.status).toBe(200);
      expect(garbage.json).toBeUndefined();
      expect(garbage.text.length).toBeGreaterThan(0);

      const rejected = await call('/suno/submit/music', { body });
      expect(rejected.status).toBe(400);
      expect(rejected.json).toMatchObject({ code: 'invalid_request', message: 'bad request' });

      expect(sim.tasks()).toHaveLength(0);
      await submitMusic();
      expect(sim.tasks()).toHaveLength(1);
      expect(sim.pendingFaults()).toEqual({ submit: [], fetch: [] });
      expect(sim.stats().faultsServed).toBe(4);
    });

    it('keeps submit and fetch fault queues separate', async () => {
      sim.injectFaults('fetch', [{ status: 503 }]);
      const id = await submitMusic();
      expect((await call(`/suno/fetch/${id}`)).status).toBe(503);
      expect((await call(`/suno/fetch/${id}`)).status).toBe(200);
    });

    it('delays a slow response, answers it normally, then serves the next queued fault', async () => {
      const id = await submitMusic();
      sim.injectFaults('fetch', [{ delayMs: 150 }, { status: 500 }]);
      const started = performance.now();
      const tasks = await fetchBatch([id]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(tasks.map((t) => t.task_id)).toEqual([id]);
      expect((await call('/suno/fetch', { body: { ids: [id] } })).status).toBe(500);
      expect((await fetchBatch([id])).map((t) => t.task_id)).toEqual([id]);
    });

    it('drops the connection for a destroy fault', async () => {
      sim.injectFaults('fetch', [{ destroy: true }]);
      await expect(call('/suno/fetch', { body: { ids: [] } })).rejects.toThrow();
      expect((await call('/suno/fetch', { body: { ids: [] } })).status).toBe(200);
    });

    it('refuses malformed or ambiguous faults', () => {
      expect(() => sim.injectFaults('submit', [{ status: 500, garbage: true } as never])).toThrow();
      expect(() => sim.injectFaults('submit', [{ delayMs: -1 }])).toThrow();
      expect(() => sim.injectFaults('nope' as never, [{ status: 500 }])).toThrow();
      expect(sim.pendingFaults().submit).toEqual([]);
    });
  });

  describe('stats', () => {
    it('counts requests per route and records the ids of each batch, until reset', async () => {
      const a = await submitMusic();
      const b = await submitMusic();
      await fetchBatch([a, b]);
      await fetchBatch([b]);
      await call(`/suno/fetch/${a}`);

      expect(sim.stats()).toMatchObject({
        since: T0,
        requests: { submit: 2, fetch_batch: 2, fetch_one: 1 },
        fetchBatches: [[a, b], [b]],
      });
      const overHttp = await call('/__sim/stats', { auth: null });
      expect(overHttp.json?.data).toEqual(sim.stats());

      clock += 5000;
      sim.resetStats();
      expect(sim.stats()).toEqual({
        since: T0 + 5000,
        requests: { submit: 0, fetch_batch: 0, fetch_one: 0 },
        fetchBatches: [],
        faultsServed: 0,
        unauthorized: 0,
      });

      await fetchBatch([a]);
      await call('/__sim/stats/reset', { method: 'POST', auth: null });
      expect(sim.stats().requests.fetch_batch).toBe(0);
    });

    it('counts requests that were answered by a fault', async () => {
      sim.injectFaults('fetch', [{ status: 429 }]);
      await call('/suno/fetch', { body: { ids: ['x'] } });
      expect(sim.stats()).toMatchObject({ requests: { fetch_batch: 1 }, fetchBatches: [['x']], faultsServed: 1 });
    });
  });

  describe('down switch', () => {
    it('answers 503 on every Suno route while down and recovers when switched back', async () => {
      const id = await submitMusic();
      sim.setDown(true);
      expect((await call('/suno/submit/music', { body: { prompt: 'x' } })).status).toBe(503);
      expect((await call('/suno/fetch', { body: { ids: [id] } })).status).toBe(503);
      expect((await call(`/suno/fetch/${id}`)).status).toBe(503);
      expect(sim.tasks()).toHaveLength(1);

      sim.setDown(false);
      expect((await fetchBatch([id])).map((t) => t.task_id)).toEqual([id]);
    });

    it('destroys sockets in destroy mode while the control API stays reachable', async () => {
      const down = await call('/__sim/down', { body: { down: 'destroy' }, auth: null });
      expect(down.json?.data).toEqual({ down: 'destroy' });
      await expect(call('/suno/fetch', { body: { ids: [] } })).rejects.toThrow();

      await call('/__sim/down', { body: { down: false }, auth: null });
      expect((await call('/suno/fetch', { body: { ids: [] } })).status).toBe(200);
    });
  });

  describe('control API', () => {
    it('queues faults, changes settings and forces transitions over HTTP', async () => {
      const queued = await call('/__sim/faults', { body: { group: 'submit', faults: [{ status: 429 }] }, auth: null });
      expect(queued.json?.data).toEqual({ submit: [{ status: 429 }], fetch: [] });
      expect((await call('/suno/submit/music', { body: { prompt: 'x' } })).status).toBe(429);

      const bad = await call('/__sim/faults', { body: { group: 'submit', faults: [{ status: 'x' }] }, auth: null });
      expect(bad.status).toBe(400);

      const config = await call('/__sim/config', { body: { defaultOutcome: 'stall' }, auth: null });
      expect(config.json?.data).toEqual({ stepMs: STEP_MS, defaultOutcome: 'stall' });

      const stuck = await submitMusic();
      const failed = await call(`/__sim/tasks/${stuck}/fail`, { body: { reason: 'gave up' }, auth: null });
      expect(failed.json?.data).toMatchObject({ status: 'FAILURE', fail_reason: 'gave up' });
      expect((await call(`/__sim/tasks/${stuck}/complete`, { method: 'POST', auth: null })).status).toBe(409);

      const inspected = await call(`/__sim/tasks/${stuck}`, { auth: null });
      expect(inspected.json?.data).toMatchObject({ outcome: 'stall', task: { task_id: stuck, status: 'FAILURE' } });
      expect(((await call('/__sim/tasks', { auth: null })).json?.data as SunoTask[]).length).toBe(1);

      await call('/__sim/reset', { method: 'POST', auth: null });
      expect(sim.tasks()).toHaveLength(0);
      expect(sim.settings().defaultOutcome).toBe('stall');
    });
  });
});

describe('Suno-API simulator lifecycle', () => {
  const count = (type: string): number => process.getActiveResourcesInfo().filter((t) => t === type).length;

  it('picks a random 127.0.0.1 port per instance and generates a secret when none is given', async () => {
    const a = await startSunoSimulator();
    const b = await startSunoSimulator();
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).not.toBe(b.url);
      expect(a.secret).not.toBe('');
      expect(a.secret).not.toBe(b.secret);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('stop() ends in-flight slow requests and leaves no server, socket or timer behind', async () => {
    // Handles closed by earlier tests disappear a tick or two after their close callbacks.
    await new Promise((r) => setTimeout(r, 20));
    const servers = count('TCPServerWrap');
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');
    const s = await startSunoSimulator({ secret: SECRET });
    expect(count('TCPServerWrap')).toBe(servers + 1);

    s.injectFaults('fetch', [{ delayMs: 60_000 }]);
    const inflight = fetch(`${s.url}/suno/fetch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ ids: [] }),
    }).then(
      () => 'answered',
      () => 'connection closed',
    );
    await waitFor(() => s.stats().faultsServed === 1);
    // Proves the slow fault's timer is visible here, so the final timer check means something.
    expect(count('Timeout')).toBeGreaterThan(timers);

    const started = performance.now();
    await s.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(inflight).resolves.toBe('connection closed');
    await expect(s.stop()).resolves.toBeUndefined();
    await expect(fetch(`${s.url}/__sim/health`)).rejects.toThrow();

    // The client side of the refused connection above lingers for a tick or two.
    await waitFor(() => count('TCPServerWrap') <= servers && count('TCPSocketWrap') <= sockets);
    expect(count('Timeout')).toBeLessThanOrEqual(timers);
  });
});
