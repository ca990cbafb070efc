import type { ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { allProcesses, describeProcess, HAS_PROC, identityOf, listenerOn, type ProcessIdentity } from '../lib/processes';
import { spawnWatched } from '../lib/watched';
import { searchAttributeCliFlags } from './search-attributes';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  ip?: string;
  /** Serve the Web UI on this port; omit for headless (tests). */
  uiPort?: number;
  /** SQLite file so workflows survive restarts; omit for in-memory (tests). */
  dbFile?: string;
  namespace?: string;
  startTimeoutMs?: number;
  onLog?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** The `temporal` process itself (null where /proc cannot tell). */
  server: ProcessIdentity | null;
  /** The watchdog between us and the server; it leads the server's process group. */
  watchdog: ProcessIdentity;
  stop(): Promise<void>;
}

/**
 * Runs `temporal server start-dev` as a child process: the real Temporal
 * server (not a mock) with its Web UI, our search attributes registered, and,
 * for a file store, the WAL pragmas that make it fast enough on small disks.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const address = `${ip}:${opts.port}`;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(opts.port), '--namespace', opts.namespace ?? 'default', '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-ip', ip, '--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  args.push(...searchAttributeCliFlags());

  // Through a watchdog in a process group of its own: a terminal Ctrl-C must reach us
  // first, so the worker can drain against a live server, and we stop the server last;
  // if we die without stopping it (even by SIGKILL), the watchdog notices and stops it.
  const child = spawnWatched(opts.cliPath, args);
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  void new Promise((resolve) => child.once('exit', resolve)).then(() => process.removeListener('exit', killOnExit));
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 50) output.shift();
      opts.onLog?.(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let server: ProcessIdentity | null;
  try {
    await waitUntilServing(address, child, exited, opts.startTimeoutMs ?? 60_000);
    server = confirmOurs(opts.port, child.pid!);
  } catch (err) {
    await stopChild(child, exited);
    throw new Error(`${(err as Error).message}\n${output.join('\n')}`, { cause: err });
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://${ip === '0.0.0.0' ? 'localhost' : ip}:${opts.uiPort}` : undefined,
    server,
    watchdog: identityOf(child.pid!),
    stop: () => stopChild(child, exited),
  };
}

/**
 * The server that answered must be the one we started, not one that held the port before
 * us: the process listening there must be in our watchdog's group. Returns the server.
 */
function confirmOurs(port: number, watchdogPid: number): ProcessIdentity | null {
  if (!HAS_PROC) return null;
  const listener = listenerOn(port);
  if (listener?.process && listener.process.pgid !== watchdogPid) {
    throw new Error(`port ${port} is served by ${describeProcess(listener.process)}, not by the dev server just started`);
  }
  const server = listener?.process ?? allProcesses().find((p) => p.ppid === watchdogPid) ?? null;
  return server && { pid: server.pid, startTicks: server.startTicks };
}

async function waitUntilServing(address: string, child: ChildProcess, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; Date.now() < deadline && attempt < 1000; attempt++) {
    if (gone) throw new Error(`temporal dev server exited with code ${child.exitCode} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`temporal dev server on ${address} was not ready within ${timeoutMs} ms`);
}

/**
 * SIGTERM (the watchdog passes it on) lets the server flush its SQLite file; SIGKILL to the
 * whole group, server included, only if it ignores us.
 */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
