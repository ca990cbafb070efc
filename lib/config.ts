import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL_PRICES } from './pricing';
import { generalEnv } from './env/general';
import { temporalEnv } from './env/temporal';
import { generationEnv } from './env/generation';
import { midjourneyEnv } from './env/midjourney';
import { devicesEnv } from './env/devices';
import { dashboardEnv } from './env/dashboard';
import { operationsEnv } from './env/operations';

export { CONFIG_GROUPS, type ConfigDoc } from './env/doc';

/**
 * Every environment variable taskhub reads, parsed once at process start; each section of
 * docs/configuration.md has its file in lib/env/. docker-compose.yml's taskhub services are checked against `CONFIG_VARIABLES`
 * by test/deploy/compose-services.test.ts. Each variable carries its documentation
 * (`ConfigDoc`); `npm run docs:config` renders docs/configuration.md from it and
 * test/docs/configuration.test.ts fails when that page is stale.
 */
export const envSchema = z.object({
  ...generalEnv,
  ...temporalEnv,
  ...generationEnv,
  ...midjourneyEnv,
  ...devicesEnv,
  ...dashboardEnv,
  ...operationsEnv,
});

export type Env = z.infer<typeof envSchema>;
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'mysql'; url: string } | { kind: 'sqlite'; file: string };
  temporal: {
    /** undefined means: start the embedded dev server (launcher only). */
    address?: string;
    namespace: string;
    taskQueue: string;
    /** Where the singletons (batched pollers, device sweeper) run, apart from the task workflows. */
    pollerTaskQueue: string;
    /** The worker's sticky workflow cache size (Temporal's maxCachedWorkflows). */
    maxCachedWorkflows: number;
    /** Old-space limit of the workflow threads' isolates, MiB; 0 for V8's default. */
    workflowHeapMiB: number;
    uiUrl?: string;
    cliPath?: string;
    /** Ports of the embedded dev server (`npm start` only). */
    devPort: number;
    devUiPort: number;
    /** Events a long-lived workflow run may reach before it continues as new. */
    historyBudget: number;
  };
  adminToken?: string;
  serverAddress: string;
  /** Origins whose browser pages may call the API: any (`*`) or these exactly. */
  corsOrigins: '*' | string[];
  appiumUrl?: string;
  taskPollIntervalSeconds: number;
  /** Quiet this long, a task checks its upstream by itself (the poller may be down). */
  taskFallbackSeconds: number;
  taskTimeoutMinutes: number;
  upstreamTimeoutSeconds: number;
  quotaPerUnit: number;
  /** USD per call by model name (`suno_music`, `mj_imagine`, …), defaults merged with MODEL_PRICES. */
  modelPrices: Record<string, number>;
  licensePlan: Env['LICENSE_PLAN'];
  logLevel: Env['LOG_LEVEL'];
  bodyLimit: string;
  shutdownGraceSeconds: number;
  ledgerAuditCron: string;
  midjourney: {
    /** Rewrite image_url to `{serverAddress}/mj/image/{mj_id}` (new-api's MjForwardUrlEnabled). */
    forwardUrls: boolean;
    /** `/mj/image/:id` answers only the task's owner (sk- key or access token). */
    imageRequiresToken: boolean;
    /** A proxy answering code 3 (no usable Discord account) is set to auto-disabled (status 3). */
    autoDisableChannel: boolean;
    imageMaxBytes: number;
    imageTimeoutSeconds: number;
    /** How long a submit waits for the upstream's answer before replying "queued" (code 22). */
    submitWaitSeconds: number;
    /** Largest decoded image accepted in base64 fields. */
    base64MaxBytes: number;
    bodyLimit: string;
    notify: {
      /** Deliver notifyHook callbacks (new-api's MjNotifyEnabled, off by default). */
      enabled: boolean;
      /** Hosts (`host` or `host:port`, lowercase) allowed to resolve to private addresses. */
      allowedHosts: string[];
      lifetimeMinutes: number;
      timeoutSeconds: number;
    };
  };
  devices: DeviceTaskConfig;
  events: EventsConfig;
  /** The built dashboard (index.html and assets/); served at `/`. */
  webDir: string;
}

export interface EventsConfig {
  /** How often each API process reads changed rows for its event streams. */
  pollMs: number;
  /** A stream ends after this long; clients reconnect (SSE's `retry`). */
  maxSeconds: number;
  /** Open streams per user; one more is refused with 429. */
  maxPerUser: number;
  /** Comment lines keep idle connections (and proxies in between) alive. */
  heartbeatSeconds: number;
}

export interface DeviceTaskConfig {
  /** IANA zone in which start_time "HH:MM" and the wire timestamps are read. */
  timeZone: string;
  /** Who may call /api/v1: loopback peers without a token (`local`), admins only (`token`), anyone (`open`). */
  apiAccess: 'local' | 'token' | 'open';
  /** Overrides the licence plan's device limit. */
  deviceLimit?: number;
  autoRetry: boolean;
  maxRetries: number;
  retryDelaySeconds: { min: number; max: number };
  scriptTimeoutMinutes: number;
  /** How often a phone lock checks that the task holding it is still alive. */
  lockCheckSeconds: number;
  /** How long a script step looks for its element on the phone. */
  appiumWaitTimeoutMs: number;
  webdriverLogLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Where relative material paths of post/comment/profile are found on the worker. */
  uploadDir: string;
}

/** `TZ=:/etc/localtime` and friends are libc spellings of "the system zone". */
function resolveTimeZone(tz: string | undefined): string {
  if (tz && !tz.startsWith(':')) return tz;
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * `dist/web` under the project root, found from this file so it is the same whether the code
 * runs from sources (lib/) or compiled (dist/lib/), whatever the working directory.
 */
function defaultWebDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 4 && !fs.existsSync(path.join(dir, 'package.json')); i++) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'web');
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings come from compose files and shells (`FOO=`); treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DEVICE_RETRY_DELAY_MIN_SECONDS > e.DEVICE_RETRY_DELAY_MAX_SECONDS) {
    throw new ConfigError('Invalid configuration:\n  DEVICE_RETRY_DELAY_MIN_SECONDS: must not exceed DEVICE_RETRY_DELAY_MAX_SECONDS');
  }
  if (e.TEMPORAL_POLLER_TASK_QUEUE === e.TEMPORAL_TASK_QUEUE) {
    throw new ConfigError(
      'Invalid configuration:\n  TEMPORAL_POLLER_TASK_QUEUE: must differ from TEMPORAL_TASK_QUEUE (the pollers must not queue behind the tasks)',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL ? { kind: 'mysql', url: e.DATABASE_URL } : { kind: 'sqlite', file: path.join(dataDir, 'taskhub.sqlite') },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      pollerTaskQueue: e.TEMPORAL_POLLER_TASK_QUEUE ?? `${e.TEMPORAL_TASK_QUEUE}-pollers`,
      maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS,
      workflowHeapMiB: e.TEMPORAL_WORKFLOW_HEAP_MIB,
      uiUrl: e.TEMPORAL_UI_URL,
      cliPath: e.TEMPORAL_CLI,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_UI_PORT,
      historyBudget: e.WORKFLOW_HISTORY_BUDGET,
    },
    adminToken: e.ADMIN_TOKEN,
    serverAddress: (e.SERVER_ADDRESS ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    corsOrigins: e.CORS_ORIGINS,
    appiumUrl: e.APPIUM_URL,
    taskPollIntervalSeconds: e.TASK_POLL_INTERVAL,
    taskFallbackSeconds: e.TASK_FALLBACK_SECONDS,
    taskTimeoutMinutes: e.TASK_TIMEOUT_MINUTES,
    upstreamTimeoutSeconds: e.UPSTREAM_TIMEOUT_SECONDS,
    quotaPerUnit: e.QUOTA_PER_UNIT,
    modelPrices: { ...DEFAULT_MODEL_PRICES, ...e.MODEL_PRICES },
    licensePlan: e.LICENSE_PLAN,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    ledgerAuditCron: e.LEDGER_AUDIT_CRON,
    midjourney: {
      forwardUrls: e.MJ_FORWARD_URL_ENABLED,
      imageRequiresToken: e.MJ_IMAGE_REQUIRE_TOKEN,
      autoDisableChannel: e.MJ_AUTO_DISABLE_CHANNEL,
      imageMaxBytes: e.MJ_IMAGE_MAX_BYTES,
      imageTimeoutSeconds: e.MJ_IMAGE_TIMEOUT_SECONDS,
      submitWaitSeconds: e.MJ_SUBMIT_WAIT_SECONDS,
      base64MaxBytes: e.MJ_BASE64_MAX_BYTES,
      bodyLimit: e.MJ_BODY_LIMIT,
      notify: {
        enabled: e.MJ_NOTIFY_ENABLED,
        allowedHosts: e.MJ_NOTIFY_ALLOWED_HOSTS,
        lifetimeMinutes: e.MJ_NOTIFY_LIFETIME_MINUTES,
        timeoutSeconds: e.MJ_NOTIFY_TIMEOUT_SECONDS,
      },
    },
    devices: {
      timeZone: resolveTimeZone(e.TZ),
      apiAccess: e.TIKMATRIX_API_ACCESS,
      deviceLimit: e.DEVICE_LIMIT,
      autoRetry: e.DEVICE_TASK_AUTO_RETRY,
      maxRetries: e.DEVICE_TASK_MAX_RETRIES,
      retryDelaySeconds: { min: e.DEVICE_RETRY_DELAY_MIN_SECONDS, max: e.DEVICE_RETRY_DELAY_MAX_SECONDS },
      scriptTimeoutMinutes: e.DEVICE_SCRIPT_TIMEOUT_MINUTES,
      lockCheckSeconds: e.DEVICE_LOCK_CHECK_SECONDS,
      appiumWaitTimeoutMs: e.APPIUM_WAIT_TIMEOUT_MS,
      webdriverLogLevel: e.WDIO_LOG_LEVEL,
      uploadDir: e.TASKHUB_UPLOAD_DIR ? path.resolve(e.TASKHUB_UPLOAD_DIR) : path.join(dataDir, 'upload'),
    },
    events: {
      pollMs: e.EVENTS_POLL_MS,
      maxSeconds: e.EVENTS_MAX_SECONDS,
      maxPerUser: e.EVENTS_MAX_PER_USER,
      heartbeatSeconds: e.EVENTS_HEARTBEAT_SECONDS,
    },
    webDir: e.WEB_DIR ? path.resolve(e.WEB_DIR) : defaultWebDir(),
  };
}
