import { BoundedQueue, FaultQueues, outcomeFromPrompt, type SubmitCodeOverride } from './faults';
import { buildPng, MAX_BUFFERED_IMAGE_BYTES } from './png';
import { StatsRecorder } from './stats';
import { TaskStore } from './tasks';
import type { ImageSettings, MidjourneySimulatorOptions, TaskOutcome } from './types';

export const DEFAULT_SECRET = 'mj-sim-secret';
export const DEFAULT_STEP_MS = 150;
export const DEFAULT_IMAGE_BYTES = 64 * 1024;
export const DEFAULT_BANNED_WORDS: readonly string[] = ['banned-word'];
export const DEFAULT_MAX_TASKS = 100_000;

export interface ResolvedOptions {
  port: number;
  secret: string;
  stepMs: number;
  imageBytes: number;
  now: () => number;
  defaultOutcome: TaskOutcome;
  bannedWords: string[];
  maxTasks: number;
  flavour: 'plus' | 'open';
  previews: boolean;
}

export function resolveOptions(opts: MidjourneySimulatorOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    port: opts.port ?? 0,
    secret: opts.secret ?? DEFAULT_SECRET,
    stepMs: opts.stepMs ?? DEFAULT_STEP_MS,
    imageBytes: opts.imageBytes ?? DEFAULT_IMAGE_BYTES,
    now: opts.now ?? Date.now,
    defaultOutcome: opts.defaultOutcome ?? 'success',
    bannedWords: [...(opts.bannedWords ?? DEFAULT_BANNED_WORDS)],
    maxTasks: opts.maxTasks ?? DEFAULT_MAX_TASKS,
    flavour: opts.flavour ?? 'plus',
    previews: opts.previews ?? false,
  };
  if (!Number.isInteger(r.port) || r.port < 0 || r.port > 65535) throw new RangeError('port must be 0..65535');
  if (!Number.isFinite(r.stepMs) || r.stepMs < 0) throw new RangeError('stepMs must be >= 0');
  if (!Number.isInteger(r.maxTasks) || r.maxTasks < 1) throw new RangeError('maxTasks must be a positive integer');
  validateImageBytes(r.imageBytes);
  return r;
}

export function validateImageBytes(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BUFFERED_IMAGE_BYTES) {
    throw new RangeError(`imageBytes must be an integer in 1..${MAX_BUFFERED_IMAGE_BYTES}; use hugeBytes for more`);
  }
}

/** Everything one simulator instance knows; shared by its HTTP handlers and its programmatic API. */
export class SimState {
  readonly store: TaskStore;
  readonly faults = new FaultQueues();
  readonly submitCodes = new BoundedQueue<SubmitCodeOverride>();
  readonly outcomes = new BoundedQueue<TaskOutcome>();
  readonly stats = new StatsRecorder();
  baseUrl = '';
  down = false;
  defaultOutcome: TaskOutcome;
  bannedWords: string[];
  image: ImageSettings;
  private png: Buffer | null = null;

  constructor(readonly options: ResolvedOptions) {
    this.defaultOutcome = options.defaultOutcome;
    this.bannedWords = [...options.bannedWords];
    this.image = SimState.initialImage(options);
    this.store = new TaskStore({
      now: options.now,
      stepMs: () => options.stepMs,
      baseUrl: () => this.baseUrl,
      maxTasks: options.maxTasks,
      flavour: options.flavour,
      previews: options.previews,
    });
  }

  private static initialImage(o: ResolvedOptions): ImageSettings {
    return { bytes: o.imageBytes, delayMs: 0, chunkDelayMs: 0, hugeBytes: null, omitContentLength: false };
  }

  /** Built on first use and kept, since benchmarks serve the same multi-MiB buffer thousands of times. */
  pngBytes(): Buffer {
    if (!this.png || this.png.length !== this.image.bytes) this.png = buildPng(this.image.bytes);
    return this.png;
  }

  setImage(patch: Partial<ImageSettings>): void {
    if (patch.bytes !== undefined) validateImageBytes(patch.bytes);
    if (patch.hugeBytes !== undefined && patch.hugeBytes !== null && (!Number.isSafeInteger(patch.hugeBytes) || patch.hugeBytes < 1)) {
      throw new RangeError('hugeBytes must be a positive integer or null');
    }
    for (const k of ['delayMs', 'chunkDelayMs'] as const) {
      const v = patch[k];
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw new RangeError(`${k} must be >= 0`);
    }
    this.image = { ...this.image, ...patch };
  }

  /** Scripted queue first, then a prompt marker, then the default; consumes a queued entry. */
  pickOutcome(prompt: string | null): TaskOutcome {
    return this.outcomes.take() ?? outcomeFromPrompt(prompt) ?? this.defaultOutcome;
  }

  reset(): void {
    this.store.clear();
    this.faults.clear();
    this.submitCodes.clear();
    this.outcomes.clear();
    this.stats.reset();
    this.down = false;
    this.defaultOutcome = this.options.defaultOutcome;
    this.bannedWords = [...this.options.bannedWords];
    this.image = SimState.initialImage(this.options);
  }
}
