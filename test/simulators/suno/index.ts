import type { Server } from 'node:http';
import { z } from 'zod';
import { SimCore } from './core';
import { close, createSimServer, HOST, listen } from './server';
import type { DownMode, Fault, RouteGroup, SimSettings, SimStats, SunoSimulator, SunoSimulatorOptions, SunoTask, TaskOutcome } from './types';

export type {
  ClipMetadata,
  ClipStatus,
  DownMode,
  Envelope,
  Fault,
  LyricsData,
  LyricsTask,
  MusicClip,
  MusicTask,
  RouteGroup,
  SimSettings,
  SimStats,
  StatRoute,
  SunoAction,
  SunoSimulator,
  SunoSimulatorOptions,
  SunoTask,
  TaskOutcome,
  TaskStatus,
} from './types';
export { DEFAULT_STEP_MS } from './core';

class RunningSimulator implements SunoSimulator {
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly core: SimCore,
    private readonly server: Server,
    readonly url: string,
  ) {}

  get secret(): string {
    return this.core.secret;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.core.lifetime.abort();
      await close(this.server);
    })();
    return this.stopping;
  }

  settings(): SimSettings {
    return this.core.settings();
  }

  configure(patch: Partial<SimSettings>): void {
    this.core.configure(patch);
  }

  injectFaults(group: RouteGroup, faults: Fault[]): void {
    this.core.faults.push(group, faults);
  }

  pendingFaults(): Record<RouteGroup, Fault[]> {
    return this.core.faults.pending();
  }

  clearFaults(group?: RouteGroup): void {
    this.core.faults.clear(group);
  }

  setDown(mode: DownMode): void {
    this.core.setDown(mode);
  }

  stats(): SimStats {
    return this.core.stats.snapshot();
  }

  resetStats(): void {
    this.core.stats.reset();
  }

  tasks(): SunoTask[] {
    return this.core.store.all();
  }

  task(id: string): SunoTask | undefined {
    return this.core.store.inspect(id);
  }

  outcomeOf(id: string): TaskOutcome | undefined {
    return this.core.store.outcomeOf(id);
  }

  complete(id: string): SunoTask {
    return this.core.store.force(id, 'SUCCESS');
  }

  fail(id: string, reason?: string): SunoTask {
    return this.core.store.force(id, 'FAILURE', reason);
  }

  reset(): void {
    this.core.reset();
  }
}

const optionsSchema = z.object({ port: z.number().int().min(0).max(65535).optional() });

/** Starts a Suno-API look-alike on 127.0.0.1. Call `stop()` when done; nothing else keeps it alive. */
export async function startSunoSimulator(opts: SunoSimulatorOptions = {}): Promise<SunoSimulator> {
  const { port = 0 } = optionsSchema.parse({ port: opts.port });
  const core = new SimCore(opts);
  const server = createSimServer(core);
  const actualPort = await listen(server, port);
  core.baseUrl = `http://${HOST}:${actualPort}`;
  return new RunningSimulator(core, server, core.baseUrl);
}
