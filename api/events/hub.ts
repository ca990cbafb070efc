import { PassThrough, type Readable } from 'node:stream';
import type { Config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { toDeviceTaskView } from '../schemas/device-task';
import { toAdminMjLogView, toMjLogView } from '../schemas/midjourney';
import { toTaskView } from '../schemas/task';
import type { Change, ChangeFeed } from './change-feed';

/** Who a stream is for: a user's own tasks, or (admins asking for `all`) everyone's; admins also get device tasks. */
export interface Audience {
  userId: number;
  admin: boolean;
  scope: 'self' | 'all';
}

export interface EventHub {
  /** A new stream for this audience; 429 when the user already has `EVENTS_MAX_PER_USER` open. */
  open(audience: Audience): Readable;
  /** Open streams in this process. */
  size(): number;
  /** Ends every stream (saying why) and stops the feed: the shutdown sequence's first step. */
  close(): Promise<void>;
}

/** A client that reads slower than this much is behind is cut off rather than buffered for. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Tells EventSource-style clients how long to wait before reconnecting. */
const RETRY_MS = 3000;

export function sseMessage(event: string, data: unknown): string {
  // JSON.stringify never emits a raw newline, so one data line always suffices.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Fans the process's one change feed out to its event streams. Each stream is bounded: it
 * ends after EVENTS_MAX_SECONDS, sends a comment every EVENTS_HEARTBEAT_SECONDS, is cut off
 * when its client falls a megabyte behind, and a user may hold EVENTS_MAX_PER_USER at once.
 */
export function createEventHub(feed: ChangeFeed, config: Pick<Config, 'events' | 'midjourney' | 'serverAddress' | 'devices'>): EventHub {
  const streams = new Set<PassThrough>();
  const perUser = new Map<number, number>();
  const imagePolicy = { forward: config.midjourney.forwardUrls, serverAddress: config.serverAddress };

  function render(change: Change, audience: Audience): string | undefined {
    const everyone = audience.admin && audience.scope === 'all';
    switch (change.kind) {
      case 'task':
        if (!everyone && change.row.userId !== audience.userId) return undefined;
        return sseMessage('task', toTaskView(change.row, { showChannel: everyone }));
      case 'mj':
        if (!everyone && change.row.userId !== audience.userId) return undefined;
        return sseMessage('mj', everyone ? toAdminMjLogView(change.row, imagePolicy) : toMjLogView(change.row, imagePolicy));
      case 'device_task':
        return audience.admin ? sseMessage('device_task', toDeviceTaskView(change.row, config.devices.timeZone)) : undefined;
    }
  }

  function release(userId: number): void {
    const left = (perUser.get(userId) ?? 1) - 1;
    if (left > 0) perUser.set(userId, left);
    else perUser.delete(userId);
  }

  return {
    open(audience) {
      const held = perUser.get(audience.userId) ?? 0;
      if (held >= config.events.maxPerUser) {
        throw new AppError(
          'conflict',
          429,
          `this user already has ${held} open event streams (EVENTS_MAX_PER_USER=${config.events.maxPerUser}); close one first`,
        );
      }
      perUser.set(audience.userId, held + 1);
      const stream = new PassThrough();
      streams.add(stream);

      const send = (chunk: string) => {
        if (stream.writableEnded || stream.destroyed) return;
        if (stream.writableLength > MAX_BUFFERED_BYTES) {
          stream.destroy();
          return;
        }
        stream.write(chunk);
      };
      const subscription = feed.subscribe((changes) => {
        for (const change of changes) {
          const message = render(change, audience);
          if (message) send(message);
        }
      });
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), config.events.heartbeatSeconds * 1000);
      const lifetime = setTimeout(() => {
        send(sseMessage('bye', { reason: 'max_lifetime' }));
        stream.end();
      }, config.events.maxSeconds * 1000);

      let cleaned = false;
      const cleanup = () => {
        if (cleaned) return;
        cleaned = true;
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        subscription.unsubscribe();
        streams.delete(stream);
        release(audience.userId);
      };
      stream.once('close', cleanup);
      stream.once('finish', cleanup);

      send(`retry: ${RETRY_MS}\n\n`);
      // `ready` only once the feed knows where the tables stand: from then on no change is missed, so that is when a client loads its lists.
      void subscription.primed.then(() =>
        send(sseMessage('ready', { scope: audience.scope, max_seconds: config.events.maxSeconds, heartbeat_seconds: config.events.heartbeatSeconds })),
      );
      return stream;
    },
    size: () => streams.size,
    async close() {
      for (const stream of [...streams]) {
        if (!stream.writableEnded) stream.end(sseMessage('bye', { reason: 'shutdown' }));
      }
      await feed.close();
    },
  };
}
