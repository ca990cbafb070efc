import { z } from 'zod';
import { doc } from './doc';

/** The dashboard and its live event streams. */
export const dashboardEnv = {
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
};
