/**
 * GET /api/events read with fetch() rather than EventSource: EventSource cannot send the
 * `Authorization` header every dashboard route takes, and putting the access token in the URL
 * would leave it in logs and history. The stream is parsed here (the SSE wire format is small)
 * and reopened after it ends, as the server closes each stream after EVENTS_MAX_SECONDS.
 */

export interface StreamEvent {
  event: string;
  data: unknown;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface EventsOptions {
  token: string;
  scope: 'self' | 'all';
  onEvent(e: StreamEvent): void;
  /** A stream is (re)opened: whatever changed while none was open must be fetched again. */
  onOpen(): void;
  onState(state: LiveState): void;
  signal: AbortSignal;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

function parseBlock(block: string): { event?: string; data?: string; retry?: number } {
  const out: { event?: string; data?: string; retry?: number } = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') out.event = value;
    else if (field === 'data') out.data = out.data === undefined ? value : `${out.data}\n${value}`;
    else if (field === 'retry' && /^\d+$/.test(value)) out.retry = Number(value);
  }
  return out;
}

/** Runs until `signal` aborts: one stream at a time, reopened after a pause whenever it ends. */
export async function followEvents(o: EventsOptions): Promise<void> {
  let retryMs = 3000;
  let failures = 0;
  // Bounded like everything else: a tab left open reconnects for a day at most.
  for (let attempt = 0; attempt < 50_000 && !o.signal.aborted; attempt++) {
    o.onState(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      const res = await fetch(`/api/events?scope=${o.scope}`, {
        headers: { authorization: `Bearer ${o.token}`, accept: 'text/event-stream' },
        signal: o.signal,
      });
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      failures = 0;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const msg = parseBlock(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (msg.retry !== undefined) retryMs = msg.retry;
          if (!msg.event || msg.data === undefined) continue;
          const data = JSON.parse(msg.data) as unknown;
          if (msg.event === 'ready') {
            o.onState('live');
            o.onOpen();
          } else {
            o.onEvent({ event: msg.event, data });
          }
        }
      }
    } catch {
      if (o.signal.aborted) return;
      failures += 1;
    }
    // Back off while the server keeps refusing (e.g. too many streams), up to a minute.
    await sleep(Math.min(60_000, retryMs * 2 ** Math.min(failures, 5)), o.signal);
  }
}
