import { buttonsFor, messageHash, type ButtonLayout } from './buttons';
import type { TaskAction, TaskJson, TaskOutcome, TaskStatus } from './types';

/** Progress strings midjourney-proxy reports while Discord renders, in order. */
export const PROGRESS_STEPS = ['10%', '35%', '67%', '90%'] as const;
/** Step (after SUBMITTED) at which a `fail` task gives up; it keeps the progress of the step before. */
const FAIL_STEP = 3;
const SUCCESS_STEP = PROGRESS_STEPS.length + 1;
/** Tasks accepted with code 22 wait this many steps in NOT_START, as if behind another job. */
export const QUEUED_STEPS = 2;

export const DEFAULT_FAIL_REASON = 'Simulated failure (mj-sim)';

export interface Phase {
  status: TaskStatus;
  progress: string;
  /** Offsets from the timeline origin, in ms; null until reached. */
  startOffset: number | null;
  finishOffset: number | null;
}

/**
 * Where a task stands after `elapsedMs`. Pure, so state is derived lazily on every
 * read: no timers exist that could leak or fire after stop().
 */
export function phaseAt(elapsedMs: number, stepMs: number, outcome: TaskOutcome, queuedSteps: number): Phase {
  const steps = stepMs <= 0 ? Number.POSITIVE_INFINITY : Math.floor(Math.max(0, elapsedMs) / stepMs);
  const at = (n: number): number => (stepMs <= 0 ? 0 : n * stepMs);
  if (steps < queuedSteps) return { status: 'NOT_START', progress: '0%', startOffset: null, finishOffset: null };
  let k = steps - queuedSteps;
  if (k === 0) return { status: 'SUBMITTED', progress: '0%', startOffset: null, finishOffset: null };
  const startOffset = at(queuedSteps + 1);
  if (outcome === 'fail' && k >= FAIL_STEP) {
    return {
      status: 'FAILURE',
      progress: PROGRESS_STEPS[FAIL_STEP - 2]!,
      startOffset,
      finishOffset: at(queuedSteps + FAIL_STEP),
    };
  }
  // Never done by itself, and a different progress at every step: 1%, 2%, … 99%, 1%, …
  if (outcome === 'chatty') return { status: 'IN_PROGRESS', progress: `${1 + ((k - 1) % 99)}%`, startOffset, finishOffset: null };
  if (outcome === 'stall') k = Math.min(k, PROGRESS_STEPS.length);
  if (k <= PROGRESS_STEPS.length) {
    return { status: 'IN_PROGRESS', progress: PROGRESS_STEPS[k - 1]!, startOffset, finishOffset: null };
  }
  return { status: 'SUCCESS', progress: '100%', startOffset, finishOffset: at(queuedSteps + SUCCESS_STEP) };
}

interface Forced {
  status: 'SUCCESS' | 'FAILURE';
  at: number;
  progress: string;
  startTime: number | null;
  reason: string | null;
}

export interface NewTask {
  action: TaskAction;
  layout: ButtonLayout;
  prompt: string | null;
  description: string;
  state?: string | null;
  outcome: TaskOutcome;
  queued?: boolean;
  /** Code 21 answers point at a task that is already finished. */
  alreadyDone?: boolean;
  /** CustomZoom / Inpaint: parked in MODAL until /submit/modal. */
  waitingModal?: boolean;
  hasImage?: boolean;
  botType?: string;
  parentId?: string;
  customId?: string;
  failReason?: string;
}

export interface TaskRecord {
  readonly id: string;
  readonly action: TaskAction;
  readonly layout: ButtonLayout;
  prompt: string | null;
  readonly description: string;
  readonly state: string | null;
  readonly submitTime: number;
  /** When the progress timeline starts; moves to the /submit/modal time for modal tasks. */
  origin: number;
  readonly queuedSteps: number;
  readonly outcome: TaskOutcome;
  waitingModal: boolean;
  readonly hasImage: boolean;
  readonly botType?: string;
  readonly parentId?: string;
  readonly customId?: string;
  readonly failReason: string;
  forced?: Forced;
}

export interface TaskStoreConfig {
  now: () => number;
  stepMs: () => number;
  baseUrl: () => string;
  maxTasks: number;
  flavour: 'plus' | 'open';
  previews: boolean;
}

export class TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  /** parentId|customId → child id, so a repeated upscale answers code 21 like the real proxy. */
  private readonly children = new Map<string, string>();
  private seq = 0;

  constructor(private readonly cfg: TaskStoreConfig) {}

  // midjourney-proxy ids are the submit millisecond followed by three digits.
  private newId(now: number): string {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const id = `${now}${String(this.seq++ % 1000).padStart(3, '0')}`;
      if (!this.records.has(id)) return id;
    }
    throw new Error('mj-sim: more than 1000 tasks in one millisecond');
  }

  add(init: NewTask): TaskRecord {
    const now = this.cfg.now();
    const rec: TaskRecord = {
      id: this.newId(now),
      action: init.action,
      layout: init.layout,
      prompt: init.prompt,
      description: init.description,
      state: init.state ?? null,
      submitTime: now,
      origin: now,
      queuedSteps: init.queued ? QUEUED_STEPS : 0,
      outcome: init.outcome,
      waitingModal: init.waitingModal ?? false,
      hasImage: init.hasImage ?? true,
      botType: init.botType,
      parentId: init.parentId,
      customId: init.customId,
      failReason: init.failReason ?? DEFAULT_FAIL_REASON,
    };
    if (init.alreadyDone) rec.forced = { status: 'SUCCESS', at: now, progress: '100%', startTime: now, reason: null };
    this.records.set(rec.id, rec);
    if (rec.parentId && rec.customId) this.children.set(`${rec.parentId}|${rec.customId}`, rec.id);
    this.evict();
    return rec;
  }

  private evict(): void {
    for (let i = 0; i < 100 && this.records.size > this.cfg.maxTasks; i++) {
      const oldest = this.records.values().next().value as TaskRecord;
      this.records.delete(oldest.id);
      if (oldest.parentId && oldest.customId) this.children.delete(`${oldest.parentId}|${oldest.customId}`);
    }
  }

  get(id: string): TaskRecord | undefined {
    return this.records.get(id);
  }

  /** What the relay may see: dropped tasks are gone as far as the HTTP API is concerned. */
  visible(id: string): TaskRecord | undefined {
    const rec = this.records.get(id);
    return rec && rec.outcome !== 'drop' ? rec : undefined;
  }

  child(parentId: string, customId: string): TaskRecord | undefined {
    const id = this.children.get(`${parentId}|${customId}`);
    return id === undefined ? undefined : this.records.get(id);
  }

  all(): TaskRecord[] {
    return [...this.records.values()];
  }

  clear(): void {
    this.records.clear();
    this.children.clear();
  }

  phase(rec: TaskRecord): Phase & { startTime: number | null; finishTime: number | null; failReason: string | null } {
    if (rec.forced) {
      const f = rec.forced;
      return {
        status: f.status,
        progress: f.progress,
        startOffset: null,
        finishOffset: null,
        startTime: f.startTime,
        finishTime: f.at,
        failReason: f.reason,
      };
    }
    if (rec.waitingModal) {
      return { status: 'MODAL', progress: '0%', startOffset: null, finishOffset: null, startTime: null, finishTime: null, failReason: null };
    }
    const p = phaseAt(this.cfg.now() - rec.origin, this.cfg.stepMs(), rec.outcome, rec.queuedSteps);
    return {
      ...p,
      startTime: p.startOffset === null ? null : rec.origin + p.startOffset,
      finishTime: p.finishOffset === null ? null : rec.origin + p.finishOffset,
      failReason: p.status === 'FAILURE' ? rec.failReason : null,
    };
  }

  complete(rec: TaskRecord): void {
    const p = this.phase(rec);
    const now = this.cfg.now();
    rec.waitingModal = false;
    rec.forced = { status: 'SUCCESS', at: now, progress: '100%', startTime: p.startTime ?? now, reason: null };
  }

  fail(rec: TaskRecord, reason: string): void {
    const p = this.phase(rec);
    rec.waitingModal = false;
    rec.forced = { status: 'FAILURE', at: this.cfg.now(), progress: p.progress, startTime: p.startTime, reason };
  }

  /** /submit/modal: the parked task starts rendering now, with the prompt typed into the modal. */
  startFromModal(rec: TaskRecord, prompt: string | undefined): void {
    rec.waitingModal = false;
    rec.origin = this.cfg.now();
    if (prompt) rec.prompt = prompt;
  }

  view(rec: TaskRecord): TaskJson {
    const p = this.phase(rec);
    const done = p.status === 'SUCCESS';
    const hash = messageHash(rec.id);
    let prompt = rec.prompt;
    // A finished describe reports the four prompts it "read" from the image, like Midjourney's reply.
    if (done && rec.action === 'DESCRIBE') {
      prompt = [1, 2, 3, 4].map((i) => `${i}\uFE0F\u20E3 simulated description ${i} of image ${rec.id} --ar 1:1`).join('\n\n');
    }
    const finalPrompt =
      done && rec.action === 'SHORTEN'
        ? [1, 2, 3]
            .map(
              (i) =>
                `${i}\uFE0F\u20E3 ${(rec.prompt ?? '')
                  .split(/\s+/)
                  .slice(0, 6 - i)
                  .join(' ')}`,
            )
            .join('\n\n')
        : prompt;
    const video = done && rec.action === 'VIDEO' ? [1, 2, 3, 4].map((i) => ({ url: `${this.cfg.baseUrl()}/mj/video-bytes/${rec.id}_${i}.mp4` })) : null;
    const preview = this.cfg.previews && p.status === 'IN_PROGRESS' && p.progress !== PROGRESS_STEPS[0] && rec.hasImage;
    const json: TaskJson = {
      id: rec.id,
      action: rec.action,
      status: p.status,
      prompt,
      promptEn: prompt,
      description: rec.description,
      state: rec.state,
      submitTime: rec.submitTime,
      startTime: p.startTime,
      finishTime: p.finishTime,
      progress: p.progress,
      imageUrl: (done || preview) && rec.hasImage ? `${this.cfg.baseUrl()}/mj/image-bytes/${rec.id}.png` : null,
      videoUrl: video ? video[0]!.url : null,
      videoUrls: video,
      failReason: p.failReason,
      properties: {
        finalPrompt,
        finalZhPrompt: null,
        ...(done ? { messageHash: hash } : {}),
        ...(rec.botType ? { botType: rec.botType } : {}),
        ...(rec.customId ? { customId: rec.customId } : {}),
        ...(rec.parentId ? { parentTaskId: rec.parentId } : {}),
      },
      buttons: done ? buttonsFor(rec.layout, hash) : [],
    };
    if (this.cfg.flavour === 'open') {
      const { buttons: _b, state: _s, videoUrl: _v, videoUrls: _vs, ...plain } = json;
      return plain as TaskJson;
    }
    return json;
  }

  /** The seed Midjourney prints for a finished image (plus forks' /mj/task/:id/image-seed). */
  seed(rec: TaskRecord): string | null {
    if (this.phase(rec).status !== 'SUCCESS' || !rec.hasImage) return null;
    return String(parseInt(messageHash(rec.id).replace(/-/g, '').slice(0, 8), 16));
  }
}
