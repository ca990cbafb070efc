/**
 * Wire and configuration types of the midjourney-proxy simulator.
 * Field names follow novicezk/midjourney-proxy (and the "plus" forks) because
 * the relay under test decodes these JSON shapes exactly as new-api does.
 */

export type TaskAction =
  'IMAGINE' | 'UPSCALE' | 'VARIATION' | 'REROLL' | 'DESCRIBE' | 'BLEND' | 'SHORTEN' | 'PAN' | 'ZOOM' | 'INPAINT' | 'EDITS' | 'VIDEO' | 'SWAP_FACE';

export type TaskStatus = 'NOT_START' | 'SUBMITTED' | 'IN_PROGRESS' | 'FAILURE' | 'SUCCESS' | 'MODAL';

export interface MjButton {
  customId: string;
  emoji: string;
  label: string;
  type: number;
  style: number;
}

/**
 * A task as the plus forks report it. The open-source midjourney-proxy (`flavour: 'open'`)
 * sends the same JSON without the buttons, state and video fields.
 */
export interface TaskJson {
  id: string;
  action: TaskAction;
  status: TaskStatus;
  prompt: string | null;
  promptEn: string | null;
  description: string;
  state: string | null;
  submitTime: number;
  startTime: number | null;
  finishTime: number | null;
  progress: string;
  imageUrl: string | null;
  videoUrl: string | null;
  videoUrls: { url: string }[] | null;
  failReason: string | null;
  properties: {
    finalPrompt: string | null;
    finalZhPrompt: string | null;
    messageHash?: string;
    botType?: string;
    customId?: string;
    parentTaskId?: string;
  };
  buttons: MjButton[];
}

/** upload-discord-images answers with the uploaded images' URLs instead of a task id. */
export interface UploadReply {
  code: number;
  description: string;
  result: string[] | null;
  properties: Record<string, unknown>;
}

export interface SubmitReply {
  code: number;
  description: string;
  result: string | null;
  properties: Record<string, unknown>;
}

/**
 * What happens to a task after it is accepted:
 * `fail` ends in FAILURE part-way, `stall` never leaves IN_PROGRESS,
 * `chatty` stays IN_PROGRESS with a new progress at every step (until forced),
 * `drop` makes the upstream "forget" it (fetch 404, absent from list-by-condition).
 */
export type TaskOutcome = 'success' | 'fail' | 'stall' | 'drop' | 'chatty';

export type RouteGroup = 'submit' | 'list' | 'fetch' | 'image' | 'seed';

/** One queued request-level fault; consumed by the next request of its route group. */
export interface RequestFault {
  /** Answer with this HTTP status and a small JSON error body. */
  status?: number;
  /** Answer 200 with a body that is not JSON (or `body` if given). */
  garbage?: boolean;
  /** Wait this long first; alone, the request is then served normally. */
  delayMs?: number;
  /** Destroy the socket without answering (connection reset). */
  reset?: boolean;
  /** Replaces the default body of a `status` or `garbage` fault. */
  body?: string;
}

export interface ImageSettings {
  /** Exact size of the PNG served for finished tasks. */
  bytes: number;
  /** Wait before sending headers. */
  delayMs: number;
  /** Pause between 64 KiB body chunks, to look like a slow CDN. */
  chunkDelayMs: number;
  /** When set, stream this many bytes (PNG header + filler) instead, without buffering them. */
  hugeBytes: number | null;
  /** Send the body chunked, so clients cannot rely on content-length to enforce limits. */
  omitContentLength: boolean;
}

export interface SimulatorStats {
  submit: number;
  list_by_condition: number;
  image_seed: number;
  fetch_one: number;
  image: number;
  /** Control API calls are not counted; this is everything else under /mj or unknown paths. */
  other: number;
  unauthorized: number;
  /** Number of ids requested by each list-by-condition call, oldest first (capped). */
  idsPerListCall: number[];
  /** Accepted-or-not submit calls per submit route (imagine, change, action, ...). */
  submitByRoute: Record<string, number>;
  imageBytesSent: number;
}

export interface MidjourneySimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Expected `mj-api-secret` header value. */
  secret?: string;
  /** Duration of each progress step; 0 makes tasks finish on first read. */
  stepMs?: number;
  imageBytes?: number;
  /** Clock used for task timelines and timestamps; inject to drive progress deterministically. */
  now?: () => number;
  defaultOutcome?: TaskOutcome;
  bannedWords?: string[];
  /** Oldest tasks are evicted beyond this, so long benchmarks stay bounded in memory. */
  maxTasks?: number;
  /** `plus` (default): the plus forks' task JSON; `open`: novicezk's, without buttons, state or video fields. */
  flavour?: 'plus' | 'open';
  /** Report a preview imageUrl while a task renders (from its second progress step), as the plus forks do. */
  previews?: boolean;
}

export interface MidjourneySimulator {
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  stop(): Promise<void>;

  tasks(): TaskJson[];
  task(id: string): TaskJson | undefined;
  /** Forces SUCCESS now; throws for unknown ids. */
  complete(id: string): TaskJson;
  /** Forces FAILURE now, keeping the progress reached; throws for unknown ids. */
  fail(id: string, reason?: string): TaskJson;

  setDefaultOutcome(outcome: TaskOutcome): void;
  /** The next `count` accepted tasks get this outcome, ahead of prompt markers and the default. */
  queueOutcome(outcome: TaskOutcome, count?: number): void;
  /** The next `count` submits that would be accepted answer `code` instead. */
  queueSubmitCode(code: number, count?: number, description?: string): void;
  queueFault(group: RouteGroup, fault: RequestFault, count?: number): void;
  clearFaults(): void;
  setDown(down: boolean): void;
  setImage(settings: Partial<ImageSettings>): void;
  setBannedWords(words: string[]): void;

  stats(): SimulatorStats;
  resetStats(): void;
  /** Forgets tasks, queued faults/codes/outcomes and stats; restores start-up settings. */
  reset(): void;
}
