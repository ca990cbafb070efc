import { z } from 'zod';
import { doc } from './doc';

/** The Midjourney relay: image forwarding, submit waits and notifyHook callbacks. */
export const midjourneyEnv = {
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
};
