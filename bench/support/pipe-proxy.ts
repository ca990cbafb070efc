/**
 * The least a Node proxy can do, as a benchmark baseline: GET `?url=` with a keep-alive agent and
 * pipe the body to the client. No lookup, no address vetting, no limits, no type checks — so the
 * distance from it to taskhub's image proxy is what the guard and the lookup cost, and the
 * distance from it to a direct fetch is what one more hop through a Node process costs here.
 * Started by `startPipeProxy` in a process of its own (as the API is); it exits when told to or
 * when its parent goes away.
 */
import http from 'node:http';
import { forkUntilReady } from './child';

export interface PipeProxy {
  base: string;
  stop(): Promise<void>;
}

export async function startPipeProxy(): Promise<PipeProxy> {
  const child = await forkUntilReady(__filename, { name: 'the pipe proxy', readyWithinMs: 20_000, killAfterMs: 5_000 });
  return { base: String(child.ready), stop: child.stop };
}

function serve(): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('url');
    if (!target) {
      res.writeHead(400).end();
      return;
    }
    const upstream = http.get(target, { agent }, (up) => {
      const headers: http.OutgoingHttpHeaders = { 'content-type': up.headers['content-type'] };
      if (up.headers['content-length']) headers['content-length'] = up.headers['content-length'];
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send?.(`http://127.0.0.1:${port}`);
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) serve();
