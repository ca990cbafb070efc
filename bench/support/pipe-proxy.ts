/**
 * The least a Node proxy can do, as a benchmark baseline: GET `?url=` with a keep-alive agent and
 * pipe the body to the client. No lookup, no address vetting, no limits, no type checks — so the
 * distance from it to taskhub's image proxy is what the guard and the lookup cost, and the
 * distance from it to a direct fetch is what one more hop through a Node process costs here.
 * Started by `startPipeProxy` in a process of its own (as the API is); it exits when told to or
 * when its parent goes away.
 */
import { fork } from 'node:child_process';
import http from 'node:http';

export interface PipeProxy {
  base: string;
  stop(): Promise<void>;
}

export async function startPipeProxy(): Promise<PipeProxy> {
  const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the pipe proxy did not start within 20 s')), 20_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(String(m));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the pipe proxy exited (${code}) before listening`));
    });
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    base,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
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
