import { startMidjourneySimulator, type MidjourneySimulator, type SubmitReply, type TaskJson } from './index';

/** Shared setup and request helpers for the Midjourney simulator test files; holds no tests. */

export const T0 = 1_700_000_000_000;
export const STEP = 100;

/** Starts the simulator the fake-clock suites share: tests move time explicitly instead of sleeping. */
export function startFakeClockSimulator(now: () => number): Promise<MidjourneySimulator> {
  return startMidjourneySimulator({ stepMs: STEP, now, imageBytes: 1024 * 1024 });
}

export interface MjClient {
  headers(secret?: string): Record<string, string>;
  post(path: string, body: unknown, h?: Record<string, string>): Promise<Response>;
  submit(route: string, body: unknown): Promise<SubmitReply>;
  fetchTask(id: string): Promise<TaskJson>;
  listTasks(ids: string[]): Promise<TaskJson[]>;
  /** Submits an imagine and jumps the clock past the whole timeline. */
  finishedImagine(prompt?: string): Promise<TaskJson>;
}

/**
 * Request helpers bound to whichever simulator the test file's hooks have started;
 * `advanceClock` moves the test file's fake clock forward by the given milliseconds.
 */
export function mjClient(getSim: () => MidjourneySimulator, advanceClock: (ms: number) => void): MjClient {
  function headers(secret = getSim().secret): Record<string, string> {
    return { 'content-type': 'application/json', 'mj-api-secret': secret };
  }

  async function post(path: string, body: unknown, h: Record<string, string> = headers()): Promise<Response> {
    return fetch(`${getSim().url}${path}`, { method: 'POST', headers: h, body: JSON.stringify(body) });
  }

  async function submit(route: string, body: unknown): Promise<SubmitReply> {
    const res = await post(`/mj/submit/${route}`, body);
    expect(res.status).toBe(200);
    return (await res.json()) as SubmitReply;
  }

  async function fetchTask(id: string): Promise<TaskJson> {
    const res = await fetch(`${getSim().url}/mj/task/${id}/fetch`, { headers: headers() });
    expect(res.status).toBe(200);
    return (await res.json()) as TaskJson;
  }

  async function listTasks(ids: string[]): Promise<TaskJson[]> {
    const res = await post('/mj/task/list-by-condition', { ids });
    expect(res.status).toBe(200);
    return (await res.json()) as TaskJson[];
  }

  async function finishedImagine(prompt = 'a red fox in snow'): Promise<TaskJson> {
    const r = await submit('imagine', { prompt });
    expect(r.code).toBe(1);
    advanceClock(STEP * 10);
    const t = await fetchTask(r.result!);
    expect(t.status).toBe('SUCCESS');
    return t;
  }

  return { headers, post, submit, fetchTask, listTasks, finishedImagine };
}

export function button(task: TaskJson, prefix: string): string {
  const b = task.buttons.find((x) => x.customId.startsWith(prefix));
  if (!b) throw new Error(`no button ${prefix} on task ${task.id}`);
  return b.customId;
}

export interface SimulatorContext {
  /** The fake-clock simulator shared by the tests of the describe block. */
  sim: MidjourneySimulator;
  /** The fake clock the simulator reads; reset to T0 before each test. */
  clock: number;
  /** Moves the fake clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Request helpers bound to `sim` that move `clock`. */
  client: MjClient;
}

/**
 * Registers hooks that start one fake-clock simulator for the enclosing describe block
 * (stopped after it) and, before each test, reset the simulator and put the clock back at T0.
 * Call inside the describe block the hooks should apply to.
 */
export function useSimulator(): SimulatorContext {
  const ctx: SimulatorContext = {
    sim: undefined as unknown as MidjourneySimulator,
    clock: T0,
    advance(ms: number): void {
      ctx.clock += ms;
    },
    client: mjClient(
      () => ctx.sim,
      (ms) => ctx.advance(ms),
    ),
  };
  beforeAll(async () => {
    ctx.sim = await startFakeClockSimulator(() => ctx.clock);
  });
  afterAll(async () => {
    await ctx.sim.stop();
  });
  beforeEach(() => {
    ctx.sim.reset();
    ctx.clock = T0;
  });
  return ctx;
}
