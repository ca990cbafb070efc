import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL_PRICES } from './pricing';

/**
 * Every environment variable taskhub reads, parsed once at process start.
 * docker-compose.yml's taskhub services are checked against `CONFIG_VARIABLES`
 * by test/deploy/compose-services.test.ts; keep the README's table in step too.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\//, 'DATABASE_URL must look like mysql://user:pass@host:3306/db')
    .optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('taskhub'),
  TEMPORAL_UI_URL: z.string().optional(),
  TEMPORAL_CLI: z.string().optional(),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  SERVER_ADDRESS: z.string().optional(),
  APPIUM_URL: z.string().optional(),
  TASK_POLL_INTERVAL: z.coerce.number().int().positive().default(15),
  TASK_TIMEOUT_MINUTES: z.coerce.number().positive().default(1440),
  UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().positive().default(60),
  QUOTA_PER_UNIT: z.coerce.number().int().positive().default(500_000),
  MODEL_PRICES: z
    .string()
    .transform((raw, ctx) => {
      try {
        return z.record(z.string(), z.number().min(0)).parse(JSON.parse(raw));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of model name to USD price, e.g. {"suno_music":0.1}' });
        return z.NEVER;
      }
    })
    .optional(),
  LICENSE_PLAN: z.enum(['Starter', 'Pro', 'Team', 'Business']).default('Pro'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().default('1mb'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(30),
  LEDGER_AUDIT_CRON: z.string().default('17 * * * *'),
  MJ_FORWARD_URL_ENABLED: z.stringbool().default(true),
  MJ_IMAGE_REQUIRE_TOKEN: z.stringbool().default(false),
  MJ_AUTO_DISABLE_CHANNEL: z.stringbool().default(true),
  MJ_IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
  MJ_IMAGE_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
  MJ_SUBMIT_WAIT_SECONDS: z.coerce.number().positive().default(20),
  MJ_BASE64_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024),
  MJ_BODY_LIMIT: z.string().default('64mb'),
  // Device tasks (TikMatrix API). TZ is also what Node itself reads; here it names the zone of start_time "HH:MM".
  TZ: z
    .string()
    .refine((zone) => zone.startsWith(':') || isTimeZone(zone), 'must be an IANA time zone such as Europe/Berlin or UTC')
    .optional(),
  TIKMATRIX_API_ACCESS: z.enum(['local', 'token', 'open']).default('local'),
  DEVICE_LIMIT: z.coerce.number().int().positive().optional(),
  DEVICE_TASK_AUTO_RETRY: z.stringbool().default(false),
  DEVICE_TASK_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  DEVICE_RETRY_DELAY_MIN_SECONDS: z.coerce.number().min(0).default(5),
  DEVICE_RETRY_DELAY_MAX_SECONDS: z.coerce.number().min(0).default(60),
  DEVICE_SCRIPT_TIMEOUT_MINUTES: z.coerce.number().positive().default(180),
  DEVICE_LOCK_CHECK_SECONDS: z.coerce.number().positive().default(30),
  APPIUM_WAIT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WDIO_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('silent'),
  TASKHUB_UPLOAD_DIR: z.string().optional(),
  // Live updates (GET /api/events) and the dashboard.
  EVENTS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  EVENTS_MAX_SECONDS: z.coerce.number().positive().max(86_400).default(300),
  EVENTS_MAX_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
  EVENTS_HEARTBEAT_SECONDS: z.coerce.number().positive().max(3600).default(15),
  WEB_DIR: z.string().optional(),
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
    uiUrl?: string;
    cliPath?: string;
  };
  adminToken?: string;
  serverAddress: string;
  appiumUrl?: string;
  taskPollIntervalSeconds: number;
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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
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
      uiUrl: e.TEMPORAL_UI_URL,
      cliPath: e.TEMPORAL_CLI,
    },
    adminToken: e.ADMIN_TOKEN,
    serverAddress: (e.SERVER_ADDRESS ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    appiumUrl: e.APPIUM_URL,
    taskPollIntervalSeconds: e.TASK_POLL_INTERVAL,
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
