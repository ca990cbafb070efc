import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL_PRICES } from './pricing';

/** Sections of docs/configuration.md, in the order they are printed. */
export const CONFIG_GROUPS = {
  general: 'General',
  temporal: 'Temporal',
  generation: 'Suno, polling and pricing',
  midjourney: 'Midjourney',
  devices: 'Device tasks (TikMatrix API, Appium)',
  dashboard: 'Dashboard and live updates',
  operations: 'Operations',
} as const;

/**
 * What docs/configuration.md says about one variable (scripts/config-doc.ts renders it).
 * The default column shows the schema's own default; `defaultText` follows it, or stands
 * alone when the default is computed at start or the variable has none.
 */
export type ConfigDoc = {
  group: keyof typeof CONFIG_GROUPS;
  description: string;
  /** What the accepts column says when the schema's type alone would not tell (a URL, a JSON object…). */
  accepts?: string;
  defaultText?: string;
};

const doc = (group: ConfigDoc['group'], description: string, extra: Omit<ConfigDoc, 'group' | 'description'> = {}): ConfigDoc => ({
  group,
  description,
  ...extra,
});

/** `0.1 for suno_music, mj_imagine, …; 0.05 for …`: the built-in prices, as docs/configuration.md shows them. */
function priceList(prices: Record<string, number>): string {
  const byPrice = new Map<number, string[]>();
  for (const [model, usd] of Object.entries(prices)) byPrice.set(usd, [...(byPrice.get(usd) ?? []), `\`${model}\``]);
  return [...byPrice]
    .sort(([a], [b]) => b - a)
    .map(([usd, models]) => `${usd} for ${models.join(', ')}`)
    .join('; ');
}

/**
 * Every environment variable taskhub reads, parsed once at process start.
 * docker-compose.yml's taskhub services are checked against `CONFIG_VARIABLES`
 * by test/deploy/compose-services.test.ts. Each variable carries its documentation
 * (`ConfigDoc`); `npm run docs:config` renders docs/configuration.md from it and
 * test/docs/configuration.test.ts fails when that page is stale.
 */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).meta(doc('general', 'port the API listens on')),
  HOST: z.string().default('0.0.0.0').meta(doc('general', 'address the API binds to')),
  DATA_DIR: z
    .string()
    .default('./data')
    .meta(
      doc(
        'general',
        'directory of the embedded databases (`taskhub.sqlite`, and `temporal.sqlite` under `npm start`), `admin-token` and the default upload folder',
      ),
    ),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\//, 'DATABASE_URL must look like mysql://user:pass@host:3306/db')
    .optional()
    .meta(
      doc('general', 'MySQL 8 or MariaDB database, `mysql://user:pass@host:3306/db`', {
        accepts: '`mysql://` URL',
        defaultText: 'embedded SQLite file `DATA_DIR/taskhub.sqlite`',
      }),
    ),
  TEMPORAL_ADDRESS: z
    .string()
    .optional()
    .meta(
      doc('temporal', 'frontend of an external Temporal cluster', {
        accepts: '`host:port`',
        defaultText: '`npm start`: its own embedded dev server; the `api` and `worker` entry points: `localhost:7233`',
      }),
    ),
  TEMPORAL_NAMESPACE: z.string().default('default').meta(doc('temporal', 'Temporal namespace of every workflow')),
  TEMPORAL_TASK_QUEUE: z.string().default('taskhub').meta(doc('temporal', 'task queue the worker polls and the API starts workflows on')),
  TEMPORAL_POLLER_TASK_QUEUE: z
    .string()
    .optional()
    .meta(
      doc(
        'temporal',
        'task queue of the batched pollers and the device-task sweeper, which every worker also polls; kept apart so a control loop never waits behind the thousands of task workflows it drives (docs/design-notes.md#pollers-on-their-own-task-queue)',
        { defaultText: '`<TEMPORAL_TASK_QUEUE>-pollers`' },
      ),
    ),
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .default(250)
    .meta(
      doc(
        'temporal',
        "workflows a worker keeps in memory between their activations (the SDK's sticky cache, `maxCachedWorkflows`); past it the least recently used is evicted and replayed from its history when it next wakes. Bounds the worker's memory with many tasks in flight (docs/design-notes.md#worker-memory)",
      ),
    ),
  TEMPORAL_WORKFLOW_HEAP_MIB: z.coerce
    .number()
    .int()
    .min(0)
    .default(384)
    .meta(
      doc(
        'temporal',
        "old-space limit of the worker's workflow threads (V8's `--max-old-space-size` for the isolates where cached workflows live; 0 leaves V8's default, a quarter of the machine's memory up to 4 GiB). Under V8's default limit garbage is collected so lazily that a worker with 5,000 tasks in flight sat at 1.15 GiB; raise it with TEMPORAL_MAX_CACHED_WORKFLOWS (docs/design-notes.md#worker-memory)",
        { accepts: 'MiB' },
      ),
    ),
  TEMPORAL_UI_URL: z
    .string()
    .optional()
    .meta(doc('temporal', 'Temporal UI address that `npm start` prints when Temporal is external', { accepts: 'URL', defaultText: 'none' })),
  TEMPORAL_CLI: z
    .string()
    .optional()
    .meta(
      doc('temporal', 'the `temporal` binary that runs the embedded dev server', {
        accepts: 'path',
        defaultText: 'found or built by `scripts/temporal-cli.sh`',
      }),
    ),
  TEMPORAL_DEV_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(7233)
    .meta(doc('temporal', "gRPC port of `npm start`'s embedded dev server; give a second checkout another one to run both on one machine")),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233).meta(doc('temporal', "Web UI port of `npm start`'s embedded dev server")),
  WORKFLOW_HISTORY_BUDGET: z.coerce
    .number()
    .int()
    .min(50)
    .default(4000)
    .meta(
      doc(
        'temporal',
        "events a generation task's or a phone lock's run may reach before it continues as new (sooner if Temporal suggests it), so no history nears Temporal's 51,200-event limit",
      ),
    ),
  ADMIN_TOKEN: z
    .string()
    .min(16, 'ADMIN_TOKEN must be at least 16 characters')
    .optional()
    .meta(
      doc('general', 'access token the root admin gets when it is created (first start only)', {
        defaultText: 'generated, printed once and saved to `DATA_DIR/admin-token`',
      }),
    ),
  SERVER_ADDRESS: z
    .string()
    .optional()
    .meta(
      doc('general', 'public base URL of this server; Midjourney image URLs are rewritten onto it', {
        accepts: 'URL',
        defaultText: '`http://localhost:$PORT`',
      }),
    ),
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((raw) =>
      raw.trim() === '*'
        ? ('*' as const)
        : raw
            .split(',')
            .map((o) => o.trim().replace(/\/+$/, ''))
            .filter(Boolean),
    )
    .meta(
      doc(
        'general',
        'browser origins allowed to call every route (CORS): `*` for any, as new-api, or a comma-separated list such as `https://app.example,http://localhost:5173`',
        {
          accepts: '`*` or origins',
          defaultText: '`*` (any origin)',
        },
      ),
    ),
  APPIUM_URL: z
    .string()
    .optional()
    .meta(
      doc('devices', 'Appium server that device scripts drive the phones through, e.g. `http://appium-host:4723/`', {
        accepts: 'URL',
        defaultText: 'none: device tasks fail with a remark saying so',
      }),
    ),
  TASK_POLL_INTERVAL: z.coerce
    .number()
    .int()
    .positive()
    .default(2)
    .meta(
      doc(
        'generation',
        'seconds between two rounds of batched upstream polling; each round costs one request per channel with tasks in flight (per 1,000 of them), so 2 s means 30 requests a minute per busy channel (docs/design-notes.md#polling-cadence)',
      ),
    ),
  TASK_FALLBACK_SECONDS: z.coerce
    .number()
    .positive()
    .default(60)
    .meta(
      doc(
        'generation',
        'a task the batched poller has not reported for this long (at least 2 poll rounds) asks its upstream by itself, backing off while nothing changes; while the poller is seen following a task, the task checks only every 20 times this (docs/design-notes.md#polling)',
      ),
    ),
  TASK_TIMEOUT_MINUTES: z.coerce
    .number()
    .positive()
    .default(1440)
    .meta(doc('generation', 'a generation task without a final answer from its upstream after this long fails and is refunded', { defaultText: '(one day)' })),
  UPSTREAM_TIMEOUT_SECONDS: z.coerce.number().positive().default(60).meta(doc('generation', 'time limit of a single request to a Suno or Midjourney upstream')),
  QUOTA_PER_UNIT: z.coerce.number().int().positive().default(500_000).meta(doc('generation', 'quota units that make one USD')),
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
    .optional()
    .meta(
      doc('generation', 'USD per call by model, merged over the built-in prices, e.g. `{"suno_music":0.2}`', {
        accepts: 'JSON object',
        defaultText: `new-api's, in USD: ${priceList(DEFAULT_MODEL_PRICES)}`,
      }),
    ),
  LICENSE_PLAN: z
    .enum(['Starter', 'Pro', 'Team', 'Business'])
    .default('Pro')
    .meta(doc('devices', 'TikMatrix licence plan: Starter answers 40301 on the task API; the plan sets the device limit (5 / 20 / 50 / 200)')),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta(doc('operations', 'level of the JSON log lines on stdout')),
  BODY_LIMIT: z
    .string()
    .default('1mb')
    .meta(doc('operations', 'largest JSON request body (413 above it)', { accepts: 'size' })),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(30).meta(doc('operations', 'time in-flight HTTP requests get to finish on shutdown')),
  LEDGER_AUDIT_CRON: z
    .string()
    .default('17 * * * *')
    .meta(doc('operations', 'schedule of the ledger-audit workflow', { accepts: 'cron expression', defaultText: '(hourly, at minute 17)' })),
  MJ_FORWARD_URL_ENABLED: z
    .stringbool()
    .default(true)
    .meta(doc('midjourney', "rewrite tasks' `image_url` to `SERVER_ADDRESS/mj/image/<id>`, as new-api's MjForwardUrlEnabled does")),
  MJ_IMAGE_REQUIRE_TOKEN: z
    .stringbool()
    .default(false)
    .meta(doc('midjourney', "serve `/mj/image/:id` only to the task's owner (`sk-` key or access token) instead of to anyone")),
  MJ_AUTO_DISABLE_CHANNEL: z
    .stringbool()
    .default(true)
    .meta(
      doc(
        'midjourney',
        'when a proxy answers code 3 (no usable account), set its channel to auto-disabled (status 3) until an admin enables it; the task moves on to the next channel',
      ),
    ),
  MJ_IMAGE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024)
    .meta(doc('midjourney', 'largest image the image proxy passes on', { defaultText: '(32 MiB)' })),
  MJ_IMAGE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .default(30)
    .meta(doc('midjourney', "image proxy's limit until the upstream's headers arrive, and again between two body chunks")),
  MJ_SUBMIT_WAIT_SECONDS: z.coerce
    .number()
    .positive()
    .default(20)
    .meta(doc('midjourney', "how long `/mj/submit/*` waits for the upstream's code before answering 22 (queued)")),
  MJ_BASE64_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 * 1024)
    .meta(doc('midjourney', 'largest decoded image in `base64`, `base64Array` and `maskBase64`', { defaultText: '(8 MiB)' })),
  MJ_NOTIFY_ENABLED: z
    .stringbool()
    .default(false)
    .meta(
      doc(
        'midjourney',
        "POST a task's JSON to its submit's `notifyHook` at every status change, signed (`X-Taskhub-Signature`); off, as new-api's MjNotifyEnabled, `notifyHook` is ignored",
      ),
    ),
  MJ_NOTIFY_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((raw) =>
      raw
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .meta(
      doc(
        'midjourney',
        '`host:port` names a `notifyHook` may point at although they are private addresses (an intranet receiver); every other hook must be public',
        {
          accepts: 'comma-separated hosts',
          defaultText: 'none',
        },
      ),
    ),
  MJ_NOTIFY_LIFETIME_MINUTES: z.coerce
    .number()
    .positive()
    .default(1440)
    .meta(doc('midjourney', 'how long one notification is retried (with backoff up to 5 minutes) before it is given up', { defaultText: '(one day)' })),
  MJ_NOTIFY_TIMEOUT_SECONDS: z.coerce.number().positive().default(10).meta(doc('midjourney', 'time limit of one notification attempt')),
  MJ_BODY_LIMIT: z
    .string()
    .default('64mb')
    .meta(doc('midjourney', 'largest JSON body on `/mj/*` (a blend carries up to 5 images)', { accepts: 'size' })),
  // Device tasks (TikMatrix API). TZ is also what Node itself reads; here it names the zone of start_time "HH:MM".
  TZ: z
    .string()
    .refine((zone) => zone.startsWith(':') || isTimeZone(zone), 'must be an IANA time zone such as Europe/Berlin or UTC')
    .optional()
    .meta(
      doc('devices', 'time zone of device tasks\' `start_time` "HH:MM" and of the times `/api/v1` shows', {
        accepts: 'IANA zone, e.g. `Europe/Berlin`',
        defaultText: "the system's zone",
      }),
    ),
  TIKMATRIX_API_ACCESS: z
    .enum(['local', 'token', 'open'])
    .default('local')
    .meta(
      doc(
        'devices',
        'who may call `/api/v1`: `local` lets callers on this host in without a token and asks others for an admin access token; `token` always asks for one; `open` never does',
      ),
    ),
  DEVICE_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta(doc('devices', 'how many phones may be registered, overriding the plan', { defaultText: "the plan's: Starter 5, Pro 20, Team 50, Business 200" })),
  DEVICE_TASK_AUTO_RETRY: z
    .stringbool()
    .default(false)
    .meta(doc('devices', 'retry failed device tasks automatically (never stopped ones, never configuration errors)')),
  DEVICE_TASK_MAX_RETRIES: z.coerce
    .number()
    .int()
    .min(0)
    .max(10)
    .default(3)
    .meta(doc('devices', 'highest `retry_count`, for manual and automatic retries alike')),
  DEVICE_RETRY_DELAY_MIN_SECONDS: z.coerce.number().min(0).default(5).meta(doc('devices', 'shortest random pause before an automatic retry')),
  DEVICE_RETRY_DELAY_MAX_SECONDS: z.coerce
    .number()
    .min(0)
    .default(60)
    .meta(doc('devices', 'longest random pause before an automatic retry (not below the minimum)')),
  DEVICE_SCRIPT_TIMEOUT_MINUTES: z.coerce.number().positive().default(180).meta(doc('devices', 'longest a device script may run')),
  DEVICE_LOCK_CHECK_SECONDS: z.coerce
    .number()
    .positive()
    .default(30)
    .meta(doc('devices', "how often a phone's lock checks that the task holding it is still alive")),
  APPIUM_WAIT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10_000)
    .meta(doc('devices', 'milliseconds a script step looks for its element on the phone')),
  WDIO_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'silent'])
    .default('silent')
    .meta(doc('devices', "webdriverio's own log level on the worker")),
  TASKHUB_UPLOAD_DIR: z
    .string()
    .optional()
    .meta(
      doc('devices', 'where the worker finds relative `material_list`, `material_path`, `avatars_path` and `comment_image_path` files', {
        accepts: 'path',
        defaultText: '`DATA_DIR/upload`',
      }),
    ),
  EVENTS_POLL_MS: z.coerce
    .number()
    .int()
    .min(50)
    .max(60_000)
    .default(1000)
    .meta(doc('dashboard', 'how often each API process reads the rows that changed, for its `GET /api/events` streams (milliseconds)')),
  EVENTS_MAX_SECONDS: z.coerce
    .number()
    .positive()
    .max(86_400)
    .default(300)
    .meta(doc('dashboard', 'an event stream ends after this long; clients reconnect (SSE `retry`)')),
  EVENTS_MAX_PER_USER: z.coerce.number().int().min(1).max(1000).default(5).meta(doc('dashboard', 'open event streams per user; one more is refused with 429')),
  EVENTS_HEARTBEAT_SECONDS: z.coerce
    .number()
    .positive()
    .max(3600)
    .default(15)
    .meta(doc('dashboard', 'comment lines on idle event streams, so proxies in between keep them open')),
  WEB_DIR: z
    .string()
    .optional()
    .meta(doc('dashboard', 'the built dashboard (`index.html` and `assets/`) served at `/`', { accepts: 'path', defaultText: '`dist/web` of the checkout' })),
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
