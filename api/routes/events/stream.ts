import { z } from 'zod';
import { Role } from '../../../db/entities';
import { ForbiddenError } from '../../../lib/errors';
import { defineRoute } from '../../route';

export const eventsQuery = z.strictObject({
  scope: z.enum(['self', 'all']).default('self').describe("`all` (admins only): every user's generation tasks, not just the caller's"),
});

export default defineRoute({
  method: 'get',
  path: '/api/events',
  family: 'newapi',
  access: 'user',
  tag: 'events',
  summary:
    "Server-Sent Events: the caller's task changes as they happen, instead of polling. `event: task` (a /api/task/self item), `event: mj` (a /api/mj/self item), and for admins `event: device_task` (a /api/v1/task item); each carries the row's whole new state. `event: ready` comes once the stream follows every change (load the lists then, not before), sends `: keep-alive` comments every EVENTS_HEARTBEAT_SECONDS, and ends with `event: bye` after EVENTS_MAX_SECONDS (reconnect then, and refetch the lists, since changes in between are not replayed). At most EVENTS_MAX_PER_USER streams per user (429 beyond). Authenticated with `Authorization: Bearer <access token>` like every dashboard route; browsers read it with fetch() rather than EventSource, which cannot send that header",
  query: eventsQuery,
  response: z.string().describe('text/event-stream'),
  raw: true,
  contentType: 'text/event-stream',
  async handler({ query, caller, deps, ctx }) {
    const user = caller.user;
    const admin = user.role >= Role.admin;
    if (query.scope === 'all' && !admin) throw new ForbiddenError('scope=all needs the admin role');
    const stream = deps.events.open({ userId: user.id, admin, scope: query.scope });
    // A stream lives for minutes: no socket idle timeout, and nothing in between may buffer it.
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.req.socket.setKeepAlive(true);
    ctx.req.once('close', () => stream.destroy());
    ctx.set('cache-control', 'no-cache, no-transform');
    ctx.set('x-accel-buffering', 'no');
    ctx.type = 'text/event-stream; charset=utf-8';
    ctx.status = 200;
    ctx.body = stream;
  },
});
