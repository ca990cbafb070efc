import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../lib/logger';
import {
  allProcesses,
  canListen,
  describeProcess,
  identityOf,
  isRunning,
  listenerOn,
  terminate,
  type ProcessIdentity,
  type ProcessInfo,
} from '../lib/processes';
import { startDevServer, type DevServer } from '../temporal/dev-server';

/** Where `npm start` records the dev server it owns, next to the server's SQLite file. */
export const PIDFILE = 'temporal-dev-server.json';
export const DB_FILE = 'temporal.sqlite';
const IP = '127.0.0.1';
/** A leftover server gets this long to flush its SQLite file before SIGKILL. */
const LEFTOVER_GRACE_MS = 10_000;

/** The pidfile: who owns this DATA_DIR's dev server, and which processes it is. */
export interface DevServerRecord {
  owner: ProcessIdentity;
  watchdog?: ProcessIdentity;
  server?: ProcessIdentity | null;
  port: number;
  uiPort: number;
  dbFile: string;
  startedAt: string;
}

/** `npm start` will not run: the message says why and what to do. */
export class StartRefused extends Error {}

export interface EmbeddedTemporalOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  log: Logger;
}

/**
 * The embedded Temporal server of one DATA_DIR, owned by this process or refused:
 * a leftover server of this DATA_DIR (its launcher gone) is stopped and replaced; a
 * launcher still running on this DATA_DIR, or anything else on the ports, stops the start
 * with a message naming the port and the process.
 */
export async function startEmbeddedTemporal(opts: EmbeddedTemporalOptions): Promise<DevServer> {
  const dbFile = path.join(opts.dataDir, DB_FILE);
  const pidfile = path.join(opts.dataDir, PIDFILE);
  await stopLeftovers(pidfile, dbFile, opts.log);
  await refuseTakenPorts([
    [opts.port, 'TEMPORAL_DEV_PORT', 'gRPC'],
    [opts.uiPort, 'TEMPORAL_UI_PORT', 'Web UI'],
  ]);

  const record: DevServerRecord = { owner: identityOf(process.pid), port: opts.port, uiPort: opts.uiPort, dbFile, startedAt: new Date().toISOString() };
  claim(pidfile, record);
  let server: DevServer;
  try {
    server = await startDevServer({
      cliPath: opts.cliPath,
      port: opts.port,
      uiPort: opts.uiPort,
      ip: IP,
      dbFile,
      namespace: opts.namespace,
      onLog: (line) => opts.log.debug({ event: 'temporal.dev_server' }, line),
    });
  } catch (err) {
    release(pidfile);
    throw err;
  }
  fs.writeFileSync(pidfile, `${JSON.stringify({ ...record, watchdog: server.watchdog, server: server.server }, null, 2)}\n`);
  return {
    ...server,
    async stop() {
      await server.stop();
      release(pidfile);
    },
  };
}

/** The pidfile's record, or null when there is none or it is unreadable (then it is stale anyway). */
export function readRecord(pidfile: string): DevServerRecord | null {
  try {
    return JSON.parse(fs.readFileSync(pidfile, 'utf8')) as DevServerRecord;
  } catch {
    return null;
  }
}

async function stopLeftovers(pidfile: string, dbFile: string, log: Logger): Promise<void> {
  const record = readRecord(pidfile);
  if (record && record.owner.pid !== process.pid && isRunning(record.owner)) {
    throw new StartRefused(
      `${path.dirname(pidfile)} is in use by a taskhub that is still running (pid ${record.owner.pid}, its Temporal on port ${record.port}). ` +
        'Stop it first, or give this one its own DATA_DIR.',
    );
  }
  // The recorded processes, and any dev server on this SQLite file that the pidfile does not
  // name (a pidfile deleted by hand, or a server left by a taskhub from before pidfiles).
  const recorded = [record?.watchdog, record?.server].filter((id): id is ProcessIdentity => !!id && isRunning(id));
  const unrecorded = allProcesses().filter((p) => servesFile(p, dbFile) && !recorded.some((id) => id.pid === p.pid));
  if (recorded.length > 0 || unrecorded.length > 0) {
    const pids = [...recorded, ...unrecorded.map((p) => ({ pid: p.pid, startTicks: p.startTicks }))];
    log.warn(
      { event: 'temporal.dev_server_leftover', pids: pids.map((p) => p.pid) },
      'stopping a Temporal dev server left behind by an earlier run on this DATA_DIR',
    );
    const group = record?.watchdog && isRunning(record.watchdog) ? record.watchdog.pid : undefined;
    await terminate({ group, pids }, LEFTOVER_GRACE_MS);
  }
  release(pidfile);
}

/** Whether a process is `temporal server start-dev` on this very SQLite file. */
function servesFile(p: ProcessInfo, dbFile: string): boolean {
  const i = p.argv.indexOf('start-dev');
  if (i < 1 || p.argv[i - 1] !== 'server') return false;
  const flag = p.argv.findIndex((a) => a === '--db-filename' || a === '-f');
  const value = flag >= 0 ? p.argv[flag + 1] : p.argv.find((a) => a.startsWith('--db-filename='))?.slice('--db-filename='.length);
  return value !== undefined && path.resolve(value) === path.resolve(dbFile);
}

async function refuseTakenPorts(ports: [number, string, string][]): Promise<void> {
  for (const [port, variable, role] of ports) {
    if (await canListen(port, IP)) continue;
    const holder = listenerOn(port)?.process ?? null;
    const other = holder && otherDataDir(holder);
    throw new StartRefused(
      `port ${port} (the embedded Temporal's ${role}, ${variable}) is already in use by ${describeProcess(holder)}` +
        `${other ? `, the Temporal dev server of another DATA_DIR (${other})` : ''}. ` +
        `Stop that process, or run this taskhub on free ports, e.g. ${variable}=${port + 10}.`,
    );
  }
}

function otherDataDir(p: ProcessInfo): string | undefined {
  const flag = p.argv.findIndex((a) => a === '--db-filename' || a === '-f');
  return p.argv.includes('start-dev') && flag >= 0 ? path.dirname(path.resolve(p.argv[flag + 1] ?? '')) : undefined;
}

/** Creates the pidfile exclusively: of two launchers racing for one DATA_DIR, one is refused. */
function claim(pidfile: string, record: DevServerRecord): void {
  try {
    fs.writeFileSync(pidfile, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new StartRefused(`${path.dirname(pidfile)} was claimed by another taskhub starting at the same moment; stop it or use another DATA_DIR.`);
  }
}

/** Removes the pidfile unless another process has claimed it meanwhile. */
function release(pidfile: string): void {
  const record = readRecord(pidfile);
  if (record && record.owner.pid !== process.pid && isRunning(record.owner)) return;
  fs.rmSync(pidfile, { force: true });
}
