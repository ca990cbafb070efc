import http from 'node:http';

/** One Appium session as the phone saw it: when its script's commands began and ended. */
export interface SessionSpan {
  sessionId: string;
  udid: string;
  firstCommandAt: number;
  lastCommandAt: number;
  commands: number;
}

export interface AppiumRecorder {
  url: string;
  sessions(): SessionSpan[];
  /** Pairs of sessions on one phone whose commands overlap in time: two scripts at once. */
  overlaps(): [SessionSpan, SessionSpan][];
  close(): Promise<void>;
}

/**
 * A pass-through proxy in front of Appium that notes, per phone (`appium:udid`), when each
 * session sent its commands. The workers talk to the phones through it, so the drill can
 * tell from outside whether a phone ever ran two scripts at once, whatever the workers
 * believed (a killed worker cannot close its session; its commands simply stop).
 */
export async function startAppiumRecorder(appiumUrl: string): Promise<AppiumRecorder> {
  const target = new URL(appiumUrl);
  const spans = new Map<string, SessionSpan>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = Date.now();
      const sessionId = /^\/(?:wd\/hub\/)?session\/([^/]+)/.exec(req.url ?? '')?.[1];
      const span = sessionId ? spans.get(sessionId) : undefined;
      if (span && req.method !== 'DELETE') {
        span.firstCommandAt = Math.min(span.firstCommandAt, at);
        span.lastCommandAt = Math.max(span.lastCommandAt, at);
        span.commands++;
      }
      const upstream = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          const out: Buffer[] = [];
          answer.on('data', (c: Buffer) => out.push(c));
          answer.on('end', () => {
            const reply = Buffer.concat(out);
            if (req.method === 'POST' && /^\/(?:wd\/hub\/)?session\/?$/.test(req.url ?? '')) noteNewSession(body, reply, at);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(reply);
          });
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ value: { error: 'unknown error', message: `appium recorder: ${err.message}` } }));
      });
      upstream.end(body);
    });
  });

  function noteNewSession(request: Buffer, reply: Buffer, at: number): void {
    try {
      const caps = (JSON.parse(request.toString()) as { capabilities?: { alwaysMatch?: Record<string, unknown>; firstMatch?: Record<string, unknown>[] } })
        .capabilities;
      const merged = { ...(caps?.firstMatch?.[0] ?? {}), ...(caps?.alwaysMatch ?? {}) };
      const udid = String(merged['appium:udid'] ?? merged.udid ?? 'unknown');
      const sessionId = (JSON.parse(reply.toString()) as { value?: { sessionId?: string } }).value?.sessionId;
      if (sessionId) spans.set(sessionId, { sessionId, udid, firstCommandAt: at, lastCommandAt: at, commands: 0 });
    } catch {
      // not JSON: Appium refused the session, nothing ran
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    sessions: () => [...spans.values()],
    overlaps() {
      const found: [SessionSpan, SessionSpan][] = [];
      const byPhone = new Map<string, SessionSpan[]>();
      for (const s of spans.values()) byPhone.set(s.udid, [...(byPhone.get(s.udid) ?? []), s]);
      for (const list of byPhone.values()) {
        list.sort((a, b) => a.firstCommandAt - b.firstCommandAt);
        // Against the session that ran longest so far, not only the one just before.
        let longest = list[0]!;
        for (const s of list.slice(1)) {
          if (s.firstCommandAt < longest.lastCommandAt) found.push([longest, s]);
          if (s.lastCommandAt > longest.lastCommandAt) longest = s;
        }
      }
      return found;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
