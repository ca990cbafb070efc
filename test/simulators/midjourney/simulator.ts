import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http';
import { handleRequest } from './server';
import { resolveOptions, SimState } from './state';
import { DEFAULT_FAIL_REASON, type TaskRecord } from './tasks';
import type { ImageSettings, MidjourneySimulator, MidjourneySimulatorOptions, RequestFault, RouteGroup, SimulatorStats, TaskJson, TaskOutcome } from './types';

class MidjourneySimulatorImpl implements MidjourneySimulator {
  /** One controller per in-flight request, so stop() can cut every pending delay and stream at once. */
  private readonly inFlight = new Set<AbortController>();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly server: Server,
    private readonly state: SimState,
    readonly port: number,
  ) {}

  get url(): string {
    return this.state.baseUrl;
  }

  get secret(): string {
    return this.state.options.secret;
  }

  track(ac: AbortController): void {
    this.inFlight.add(ac);
  }

  untrack(ac: AbortController): void {
    this.inFlight.delete(ac);
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve, reject) => {
      for (const ac of this.inFlight) ac.abort();
      this.inFlight.clear();
      this.server.close((err) => (err ? reject(err) : resolve()));
      // close() alone waits for keep-alive sockets the relay's agent keeps open.
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  private record(id: string): TaskRecord {
    const rec = this.state.store.get(id);
    if (!rec) throw new Error(`mj-sim: unknown task ${id}`);
    return rec;
  }

  tasks(): TaskJson[] {
    return this.state.store.all().map((r) => this.state.store.view(r));
  }

  task(id: string): TaskJson | undefined {
    const rec = this.state.store.get(id);
    return rec && this.state.store.view(rec);
  }

  complete(id: string): TaskJson {
    const rec = this.record(id);
    this.state.store.complete(rec);
    return this.state.store.view(rec);
  }

  fail(id: string, reason = DEFAULT_FAIL_REASON): TaskJson {
    const rec = this.record(id);
    this.state.store.fail(rec, reason);
    return this.state.store.view(rec);
  }

  setDefaultOutcome(outcome: TaskOutcome): void {
    this.state.defaultOutcome = outcome;
  }

  queueOutcome(outcome: TaskOutcome, count = 1): void {
    this.state.outcomes.push(outcome, count);
  }

  queueSubmitCode(code: number, count = 1, description?: string): void {
    this.state.submitCodes.push({ code, description }, count);
  }

  queueFault(group: RouteGroup, fault: RequestFault, count = 1): void {
    this.state.faults.push(group, fault, count);
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  setDown(down: boolean): void {
    this.state.down = down;
  }

  setImage(settings: Partial<ImageSettings>): void {
    this.state.setImage(settings);
  }

  setBannedWords(words: string[]): void {
    this.state.bannedWords = [...words];
  }

  stats(): SimulatorStats {
    return this.state.stats.snapshot();
  }

  resetStats(): void {
    this.state.stats.reset();
  }

  reset(): void {
    this.state.reset();
  }
}

/** Starts a simulator on 127.0.0.1; nothing listens until this is called. */
export async function startMidjourneySimulator(opts: MidjourneySimulatorOptions = {}): Promise<MidjourneySimulator> {
  const state = new SimState(resolveOptions(opts));
  // Built up front so the first image request in a benchmark does not pay for it.
  state.pngBytes();
  let sim: MidjourneySimulatorImpl | undefined;
  const server = createServer((req, res) => {
    const ac = new AbortController();
    sim?.track(ac);
    res.once('close', () => {
      ac.abort();
      sim?.untrack(ac);
    });
    handleRequest({ state, req, res, signal: ac.signal }).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { code: 500, description: `mj-sim internal error: ${String(err)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${port}`;
  sim = new MidjourneySimulatorImpl(server, state, port);
  return sim;
}
