import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { FaultQueue, outcomeSchema } from './faults';
import { StatsRecorder } from './stats';
import { TaskStore } from './tasks';
import type { DownMode, SimSettings, SunoSimulatorOptions } from './types';

export const DEFAULT_STEP_MS = 200;
// An hour per step is already "never" for a test; larger values are almost certainly unit mix-ups.
const MAX_STEP_MS = 3_600_000;

export const settingsPatchSchema = z.strictObject({
  stepMs: z.number().int().min(0).max(MAX_STEP_MS).optional(),
  defaultOutcome: outcomeSchema.optional(),
});

export const downSchema = z.union([z.boolean(), z.literal('destroy')]);

/**
 * All mutable state of one simulator instance. The HTTP layer and the
 * programmatic facade both act through it, so the two can never disagree.
 */
export class SimCore {
  readonly secret: string;
  readonly now: () => number;
  readonly store: TaskStore;
  readonly faults = new FaultQueue();
  readonly stats: StatsRecorder;
  /** Aborted by stop() so that delayed handlers end instead of holding the process open. */
  readonly lifetime = new AbortController();
  baseUrl = '';
  down: DownMode = false;
  private current: SimSettings;

  constructor(opts: SunoSimulatorOptions) {
    this.secret = opts.secret ?? `sim-${randomBytes(12).toString('hex')}`;
    this.now = opts.now ?? Date.now;
    this.current = { stepMs: DEFAULT_STEP_MS, defaultOutcome: 'success' };
    this.configure({ stepMs: opts.stepMs, defaultOutcome: opts.defaultOutcome });
    this.store = new TaskStore(this.now, () => this.baseUrl);
    this.stats = new StatsRecorder(this.now);
  }

  settings(): SimSettings {
    return { ...this.current };
  }

  configure(patch: Partial<SimSettings>): void {
    const p = settingsPatchSchema.parse(patch);
    if (p.stepMs !== undefined) this.current.stepMs = p.stepMs;
    if (p.defaultOutcome !== undefined) this.current.defaultOutcome = p.defaultOutcome;
  }

  setDown(mode: DownMode): void {
    this.down = downSchema.parse(mode);
  }

  /** Compares digests so neither timing nor length leaks the secret. */
  authorized(header: string | undefined): boolean {
    if (this.secret === '') return true;
    const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!m) return false;
    const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(m[1]!.trim()), digest(this.secret));
  }

  reset(): void {
    this.store.clear();
    this.faults.clear();
    this.stats.reset();
    this.down = false;
  }
}
