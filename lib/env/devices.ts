import { z } from 'zod';
import { doc } from './doc';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Device tasks: the TikMatrix API, phones and Appium. */
export const devicesEnv = {
  APPIUM_URL: z
    .string()
    .optional()
    .meta(
      doc('devices', 'Appium server that device scripts drive the phones through, e.g. `http://appium-host:4723/`', {
        accepts: 'URL',
        defaultText: 'none: device tasks fail with a remark saying so',
      }),
    ),
  LICENSE_PLAN: z
    .enum(['Starter', 'Pro', 'Team', 'Business'])
    .default('Pro')
    .meta(doc('devices', 'TikMatrix licence plan: Starter answers 40301 on the task API; the plan sets the device limit (5 / 20 / 50 / 200)')),
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
};
