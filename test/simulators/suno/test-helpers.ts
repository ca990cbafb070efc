import { startSunoSimulator, type SunoSimulator, type SunoTask } from './index';

/** Shared setup and request helpers for the Suno simulator test files; holds no tests. */

export const SECRET = 'test-secret';
export const STEP_MS = 1000;
export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

export interface Reply {
  status: number;
  text: string;
  json: { code: string; message: string; data: unknown } | undefined;
}

/** Starts a simulator with the test secret and step on a clock the test file moves by hand. */
export function startTestSimulator(now: () => number): Promise<SunoSimulator> {
  return startSunoSimulator({ secret: SECRET, stepMs: STEP_MS, now });
}

export interface SunoClient {
  call(path: string, init?: { method?: string; body?: unknown; auth?: string | null }): Promise<Reply>;
  submitMusic(body?: Record<string, unknown>): Promise<string>;
  fetchBatch(ids: string[]): Promise<SunoTask[]>;
  fetchOne(id: string): Promise<SunoTask>;
}

/** Request helpers bound to whichever simulator the test file's hooks have started. */
export function sunoClient(getSim: () => SunoSimulator): SunoClient {
  async function call(path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = init.auth === undefined ? `Bearer ${SECRET}` : init.auth;
    if (auth !== null) headers.authorization = auth;
    const res = await fetch(`${getSim().url}${path}`, {
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

  return { call, submitMusic, fetchBatch, fetchOne };
}

/** Polls a condition a bounded number of times; used only where real I/O must catch up. */
export async function waitFor(cond: () => boolean, attempts = 100, everyMs = 10): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}

export interface SimulatorContext {
  /** The simulator started for the current test. */
  sim: SunoSimulator;
  /** The fake clock the simulator reads; starts at T0 for every test. */
  clock: number;
  /** Moves the fake clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Request helpers bound to `sim`. */
  client: SunoClient;
}

/**
 * Registers hooks that start a fresh simulator on a fresh fake clock (reset to T0) before
 * each test and stop it after; call inside the describe block the hooks should apply to.
 */
export function useSimulator(): SimulatorContext {
  const ctx: SimulatorContext = {
    sim: undefined as unknown as SunoSimulator,
    clock: T0,
    advance(ms: number): void {
      ctx.clock += ms;
    },
    client: sunoClient(() => ctx.sim),
  };
  beforeEach(async () => {
    ctx.clock = T0;
    ctx.sim = await startTestSimulator(() => ctx.clock);
  });
  afterEach(async () => {
    await ctx.sim.stop();
  });
  return ctx;
}
