import type http from 'node:http';
import { Readable } from 'node:stream';
import { describeError, ImageFetchError } from './image-fetch-error';

/**
 * The upstream body as handed to the consumer. The idle timer runs only while
 * a read is waiting on the upstream, so a slow client applying backpressure is
 * not mistaken for a stalled upstream. A failure before the first read (the
 * upstream hanging up while the route is still deciding what to do) is kept
 * for that read: emitting it earlier, with nobody listening, would crash the process.
 */
export class BoundedBody extends Readable {
  private received = 0;
  private idle: NodeJS.Timeout | undefined;
  private started = false;
  private ended = false;
  private pending: ImageFetchError | undefined;

  constructor(
    private readonly source: http.IncomingMessage,
    head: Buffer | undefined,
    private readonly maxBytes: number,
    private readonly idleMs: number,
    private readonly signal?: AbortSignal,
  ) {
    super();
    if (head) {
      this.received = head.length;
      this.push(head);
    }
    source.on('data', this.onData);
    source.once('end', this.onEnd);
    source.on('error', this.onSourceGone);
    source.once('close', this.onSourceGone);
    source.pause();
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort);
  }

  override _read(): void {
    this.started = true;
    if (this.pending) {
      this.destroy(this.pending);
      return;
    }
    if (this.ended) return;
    this.armIdle();
    this.source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    callback(err);
  }

  private release(): void {
    this.disarmIdle();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.source.off('data', this.onData);
    // A body read to its end leaves the socket to its keep-alive agent; anything else (too
    // large, stalled, aborted, the client gone) destroys the response and with it the socket.
    if (!this.ended) this.source.destroy();
  }

  private fail(err: ImageFetchError): void {
    if (this.destroyed || this.pending) return;
    if (this.started) {
      this.destroy(err);
    } else {
      this.pending = err;
      this.release();
    }
  }

  private readonly onData = (chunk: Buffer): void => {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.fail(new ImageFetchError('too_large', `upstream image exceeded ${this.maxBytes} bytes`));
      return;
    }
    if (this.push(chunk)) {
      this.armIdle();
    } else {
      // Backpressure from our client: the upstream is not stalling, so no idle limit meanwhile.
      this.disarmIdle();
      this.source.pause();
    }
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.disarmIdle();
    this.push(null);
  };

  private readonly onSourceGone = (err?: Error): void => {
    if (this.ended) return;
    this.fail(new ImageFetchError('unreachable', `upstream closed the connection mid-image${err ? `: ${describeError(err)}` : ''}`, undefined, { cause: err }));
  };

  private readonly onAbort = (): void => {
    this.fail(new ImageFetchError('aborted', 'image request was aborted'));
  };

  // One timer for the whole body, re-armed with refresh() rather than a new timer per chunk.
  private armIdle(): void {
    if (this.idle) this.idle.refresh();
    else this.idle = setTimeout(this.onIdle, this.idleMs);
  }

  private readonly onIdle = (): void => {
    this.idle = undefined;
    this.fail(new ImageFetchError('timeout', `upstream image stalled for ${this.idleMs} ms`));
  };

  private disarmIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
  }
}
