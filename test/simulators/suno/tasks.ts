import { randomUUID } from 'node:crypto';
import type { ClipStatus, LyricsTask, MusicClip, MusicTask, SunoTask, TaskOutcome, TaskStatus } from './types';

export interface MusicSubmission {
  action: 'MUSIC';
  prompt: string;
  gpt_description_prompt: string;
  mv: string;
  title: string;
  tags: string;
  make_instrumental: boolean;
  continue_at: number | null;
  continue_clip_id: string;
}

export interface LyricsSubmission {
  action: 'LYRICS';
  prompt: string;
}

export type Submission = MusicSubmission | LyricsSubmission;

interface TaskRecord {
  id: string;
  submission: Submission;
  outcome: TaskOutcome;
  submittedAt: number;
  // Captured per task so reconfiguring the simulator never rewrites the history of existing tasks.
  stepMs: number;
  failReason: string;
  clipIds: string[];
  forced?: { status: 'SUCCESS' | 'FAILURE'; at: number };
}

interface Progress {
  status: TaskStatus;
  startedAt: number | null;
  finishedAt: number | null;
}

export const DEFAULT_FAIL_REASON = 'simulated upstream failure';
const DEFAULT_MODEL = 'chirp-v3-0'; // what Suno-API substitutes when mv is empty
// A long demo must not grow memory without limit; the oldest tasks are forgotten first.
const MAX_TASKS = 50_000;
const CLIP_DURATIONS = [128.4, 141.2];

const CLIP_STATUS: Record<TaskStatus, ClipStatus> = {
  NOT_START: 'submitted',
  SUBMITTED: 'submitted',
  QUEUED: 'queued',
  IN_PROGRESS: 'streaming',
  SUCCESS: 'complete',
  FAILURE: 'error',
  UNKNOWN: 'error',
};

export function isTerminal(status: TaskStatus): boolean {
  return status === 'SUCCESS' || status === 'FAILURE' || status === 'UNKNOWN';
}

const seconds = (ms: number | null): number => (ms === null ? 0 : Math.floor(ms / 1000));

/**
 * Task state machine. State is never stored: each read derives it from the
 * elapsed time since submit, so no timers exist that could leak or race.
 */
export class TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  private readonly clipOwner = new Map<string, string>();

  constructor(
    private readonly now: () => number,
    private readonly baseUrl: () => string,
  ) {}

  create(submission: Submission, outcome: TaskOutcome, stepMs: number, failReason = DEFAULT_FAIL_REASON): SunoTask {
    this.evictIfFull();
    const id = randomUUID();
    // Suno-API reuses the upstream lyrics id as the task id; music gets two fresh clip ids.
    const clipIds = submission.action === 'MUSIC' ? [randomUUID(), randomUUID()] : [id];
    const rec: TaskRecord = { id, submission, outcome, submittedAt: this.now(), stepMs, failReason, clipIds };
    this.records.set(id, rec);
    for (const clipId of clipIds) this.clipOwner.set(clipId, id);
    return this.render(rec);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  /** Wire view as the upstream would report it; dropped tasks are invisible here. */
  visible(id: string): SunoTask | undefined {
    const rec = this.records.get(id);
    return rec && rec.outcome !== 'drop' ? this.render(rec) : undefined;
  }

  inspect(id: string): SunoTask | undefined {
    const rec = this.records.get(id);
    return rec ? this.render(rec) : undefined;
  }

  all(): SunoTask[] {
    return [...this.records.values()].map((rec) => this.render(rec));
  }

  outcomeOf(id: string): TaskOutcome | undefined {
    return this.records.get(id)?.outcome;
  }

  /** Clips of dropped tasks stay downloadable: only the task bookkeeping is lost upstream. */
  clipExists(clipId: string): boolean {
    return this.clipOwner.has(clipId);
  }

  /**
   * Forcing an already finished task throws instead of rewriting it, so a test
   * racing natural completion fails loudly rather than passing by accident.
   */
  force(id: string, status: 'SUCCESS' | 'FAILURE', reason?: string): SunoTask {
    const rec = this.records.get(id);
    if (!rec) throw new Error(`suno simulator: unknown task ${id}`);
    const current = this.progress(rec).status;
    if (isTerminal(current)) throw new Error(`suno simulator: task ${id} is already ${current}`);
    rec.forced = { status, at: this.now() };
    if (status === 'FAILURE') rec.failReason = reason ?? rec.failReason;
    return this.render(rec);
  }

  clear(): void {
    this.records.clear();
    this.clipOwner.clear();
  }

  private evictIfFull(): void {
    if (this.records.size < MAX_TASKS) return;
    const oldest = this.records.values().next().value;
    if (!oldest) return;
    this.records.delete(oldest.id);
    for (const clipId of oldest.clipIds) this.clipOwner.delete(clipId);
  }

  private progress(rec: TaskRecord): Progress {
    const queuedAt = rec.submittedAt + rec.stepMs;
    const startAt = rec.submittedAt + 2 * rec.stepMs;
    const endAt = rec.submittedAt + 3 * rec.stepMs;
    if (rec.forced) {
      return { status: rec.forced.status, startedAt: Math.min(startAt, rec.forced.at), finishedAt: rec.forced.at };
    }
    const now = this.now();
    if (now < queuedAt) return { status: 'SUBMITTED', startedAt: null, finishedAt: null };
    if (now < startAt) return { status: 'QUEUED', startedAt: null, finishedAt: null };
    if (now < endAt || rec.outcome === 'stall' || rec.outcome === 'chatty') return { status: 'IN_PROGRESS', startedAt: startAt, finishedAt: null };
    return { status: rec.outcome === 'fail' ? 'FAILURE' : 'SUCCESS', startedAt: startAt, finishedAt: endAt };
  }

  private render(rec: TaskRecord): SunoTask {
    const p = this.progress(rec);
    const base = {
      task_id: rec.id,
      status: p.status,
      fail_reason: p.status === 'FAILURE' ? rec.failReason : '',
      submit_time: seconds(rec.submittedAt),
      start_time: seconds(p.startedAt),
      finish_time: seconds(p.finishedAt),
    };
    const clipStatus = CLIP_STATUS[p.status];
    if (rec.submission.action === 'LYRICS') {
      const s = rec.submission;
      const task: LyricsTask = {
        ...base,
        action: 'LYRICS',
        data: {
          id: rec.id,
          status: clipStatus,
          title: clipStatus === 'complete' ? titleFrom(s.prompt, 'Untitled lyrics') : '',
          text: clipStatus === 'complete' ? lyricsFor(s.prompt) : '',
        },
      };
      return task;
    }
    const s = rec.submission;
    const task: MusicTask = {
      ...base,
      action: 'MUSIC',
      data: rec.clipIds.map((clipId, i) => this.clip(rec, s, clipId, clipStatus, i)),
    };
    return task;
  }

  private clip(rec: TaskRecord, s: MusicSubmission, id: string, status: ClipStatus, index: number): MusicClip {
    const media = `${this.baseUrl()}/media`;
    const playable = status === 'streaming' || status === 'complete';
    const model = s.mv || DEFAULT_MODEL;
    return {
      id,
      audio_url: playable ? `${media}/${id}.mp3` : '',
      video_url: status === 'complete' ? `${media}/${id}.mp4` : '',
      image_url: playable ? `${media}/image_${id}.jpeg` : '',
      image_large_url: playable ? `${media}/image_large_${id}.jpeg` : '',
      is_video_pending: status === 'streaming',
      status,
      title: s.title || titleFrom(s.gpt_description_prompt || s.prompt, 'Untitled'),
      model_name: model,
      major_model_version: majorVersion(model),
      created_at: new Date(rec.submittedAt).toISOString(),
      metadata: {
        tags: s.tags,
        prompt: s.prompt,
        gpt_description_prompt: s.gpt_description_prompt || null,
        duration: status === 'complete' ? CLIP_DURATIONS[index % CLIP_DURATIONS.length]! : this.streamedSeconds(rec, status),
        error_type: status === 'error' ? 'simulated' : null,
        error_message: status === 'error' ? rec.failReason : null,
      },
    };
  }

  /** A chatty clip reports one more second of streamed audio at every step, so each poll sees new data. */
  private streamedSeconds(rec: TaskRecord, status: ClipStatus): number | null {
    if (rec.outcome !== 'chatty' || status !== 'streaming' || rec.stepMs <= 0) return null;
    return Math.max(0, Math.floor((this.now() - rec.submittedAt) / rec.stepMs) - 2);
  }
}

const MARKER = /\[sim:[a-z]+\]/gi;

function titleFrom(text: string, fallback: string): string {
  const words = text.replace(MARKER, ' ').trim().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.length > 0 ? words.join(' ') : fallback;
}

function lyricsFor(prompt: string): string {
  const theme = prompt.replace(MARKER, ' ').trim() || 'nothing at all';
  return `[Verse]\nSinging about ${theme}\nOne more line to fill the time\n\n[Chorus]\n${theme}, ${theme}\nSimulated, but it rhymes`;
}

// Suno names models like chirp-v3-5 and reports the family as v3.5.
function majorVersion(model: string): string {
  const m = /v(\d+)(?:-(\d+))?/.exec(model);
  if (!m) return 'v3';
  return m[2] && m[2] !== '0' ? `v${m[1]}.${m[2]}` : `v${m[1]}`;
}
