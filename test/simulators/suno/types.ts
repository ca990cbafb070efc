/**
 * Wire types of the Suno-API protocol (github.com/Suno-API/Suno-API, as spoken
 * to by new-api) plus the simulator's own knobs. Field names stay snake_case
 * because they are serialised as-is.
 */

export type SunoAction = 'MUSIC' | 'LYRICS';

export type TaskStatus = 'NOT_START' | 'SUBMITTED' | 'QUEUED' | 'IN_PROGRESS' | 'FAILURE' | 'SUCCESS' | 'UNKNOWN';

export type ClipStatus = 'submitted' | 'queued' | 'streaming' | 'complete' | 'error';

export interface ClipMetadata {
  tags: string;
  prompt: string;
  gpt_description_prompt: string | null;
  /** Seconds; null until the clip is complete, as upstream reports it. */
  duration: number | null;
  error_type: string | null;
  error_message: string | null;
}

export interface MusicClip {
  id: string;
  audio_url: string;
  video_url: string;
  image_url: string;
  image_large_url: string;
  is_video_pending: boolean;
  status: ClipStatus;
  title: string;
  model_name: string;
  major_model_version: string;
  created_at: string;
  metadata: ClipMetadata;
}

export interface LyricsData {
  id: string;
  status: ClipStatus;
  title: string;
  text: string;
}

interface TaskBase {
  task_id: string;
  status: TaskStatus;
  fail_reason: string;
  /** Unix seconds; 0 while the moment has not been reached. */
  submit_time: number;
  start_time: number;
  finish_time: number;
}

export interface MusicTask extends TaskBase {
  action: 'MUSIC';
  data: MusicClip[];
}

export interface LyricsTask extends TaskBase {
  action: 'LYRICS';
  data: LyricsData;
}

export type SunoTask = MusicTask | LyricsTask;

export interface Envelope<T> {
  code: string;
  message: string;
  data: T;
}

/**
 * What the upstream will eventually do with a task, fixed at submit time.
 * `drop` tasks progress like `success` internally but are never returned by
 * fetch, which is how a real upstream that lost the task looks to the relay.
 * `chatty` tasks stream forever (until forced), their clips' duration growing at every
 * step, like a long generation whose data changes at each poll.
 */
export type TaskOutcome = 'success' | 'fail' | 'stall' | 'drop' | 'chatty';

/** Request-fault queues are kept per group so submit and poll paths can be broken independently. */
export type RouteGroup = 'submit' | 'fetch';

/** One queued request-level fault; `delayMs` may be combined with any other kind. */
export type Fault =
  | { delayMs: number }
  | { status: number; message?: string; delayMs?: number }
  | { garbage: true; delayMs?: number }
  | { reject: string; delayMs?: number }
  | { destroy: true; delayMs?: number };

/** `true` answers 503; `'destroy'` kills the socket without a response; `false` is healthy. */
export type DownMode = boolean | 'destroy';

export type StatRoute = 'submit' | 'fetch_batch' | 'fetch_one';

export interface SimStats {
  /** Clock reading (ms) when counting began or was last reset. */
  since: number;
  requests: Record<StatRoute, number>;
  /** The ids of each POST /suno/fetch, in arrival order. */
  fetchBatches: string[][];
  faultsServed: number;
  unauthorized: number;
}

export interface SimSettings {
  stepMs: number;
  defaultOutcome: TaskOutcome;
}

export interface SunoSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bearer secret; a random one is generated when omitted. An empty string disables auth, as in Suno-API. */
  secret?: string;
  /** Time spent in each of SUBMITTED, QUEUED and IN_PROGRESS. Default 200. */
  stepMs?: number;
  /** Epoch milliseconds; inject to make lifecycles deterministic. */
  now?: () => number;
  defaultOutcome?: TaskOutcome;
}

export interface SunoSimulator {
  readonly url: string;
  readonly secret: string;
  stop(): Promise<void>;

  settings(): SimSettings;
  /** Applies to tasks submitted afterwards; existing tasks keep their timing. */
  configure(patch: Partial<SimSettings>): void;

  injectFaults(group: RouteGroup, faults: Fault[]): void;
  pendingFaults(): Record<RouteGroup, Fault[]>;
  clearFaults(group?: RouteGroup): void;
  setDown(mode: DownMode): void;

  stats(): SimStats;
  resetStats(): void;

  /** Inspection sees every task, dropped ones included. */
  tasks(): SunoTask[];
  task(id: string): SunoTask | undefined;
  outcomeOf(id: string): TaskOutcome | undefined;
  complete(id: string): SunoTask;
  fail(id: string, reason?: string): SunoTask;

  /** Forgets tasks, faults, stats and the down switch; settings stay. */
  reset(): void;
}
