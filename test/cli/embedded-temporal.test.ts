import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { readRecord, PIDFILE, DB_FILE, type DevServerRecord } from '../../cli/embedded-temporal';
import { canListen, identityOf, isRunning, processInfo, type ProcessIdentity } from '../../lib/processes';
import { compiledTree } from '../support/build';
import { freePort } from '../support/ports';

/**
 * `npm start`'s launcher as a real process (the compiled `cli/start.js`), each in a process
 * group of its own as a terminal would run it, with a temp DATA_DIR and free ports.
 */
interface Launcher {
  child: ChildProcess;
  dataDir: string;
  ports: { api: number; temporal: number; ui: number };
  output(): string;
  /** Resolves with the exit code (or signal) once the launcher has exited. */
  exited: Promise<number | string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started: Launcher[] = [];
const others: ProcessIdentity[] = [];
const dirs: string[] = [];

async function launch(dataDir?: string, ports?: Launcher['ports']): Promise<Launcher> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-launcher-'));
  if (!dataDir) dirs.push(dir);
  const p = ports ?? { api: await freePort(), temporal: await freePort(), ui: await freePort() };
  const child = spawn(process.execPath, [path.join(compiledTree(), 'cli/start.js')], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      PORT: String(p.api),
      HOST: '127.0.0.1',
      TEMPORAL_DEV_PORT: String(p.temporal),
      TEMPORAL_UI_PORT: String(p.ui),
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const launcher = { child, dataDir: dir, ports: p, output: () => out, exited };
  started.push(launcher);
  return launcher;
}

/** Waits until the launcher says it is running, or exits, within `ms`. */
async function untilRunning(l: Launcher, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  let gone = false;
  void l.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone && !l.output().includes('taskhub is running')) await sleep(200);
  if (!l.output().includes('taskhub is running')) throw new Error(`launcher did not come up:\n${l.output()}`);
}

/** Waits (bounded) until none of `ids` runs; returns those still running. */
async function stillRunningAfter(ids: ProcessIdentity[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && ids.some(isRunning)) await sleep(100);
  return ids.filter(isRunning).map((id) => id.pid);
}

function recordOf(l: Launcher): DevServerRecord {
  const record = readRecord(path.join(l.dataDir, PIDFILE));
  if (!record?.server || !record.watchdog) throw new Error(`no complete pidfile in ${l.dataDir}: ${JSON.stringify(record)}`);
  return record;
}

afterEach(async () => {
  // Whatever a test did, its processes end with it.
  for (const l of started.splice(0)) {
    try {
      process.kill(-l.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    const record = readRecord(path.join(l.dataDir, PIDFILE));
    for (const id of [record?.watchdog, record?.server]) if (id && isRunning(id)) process.kill(id.pid, 'SIGKILL');
  }
  for (const id of others.splice(0)) if (isRunning(id)) process.kill(id.pid, 'SIGKILL');
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded Temporal server belongs to one launcher', () => {
  test('a launcher killed with SIGKILL (its whole process group) takes its dev server with it within seconds', async () => {
    const l = await launch();
    await untilRunning(l);
    const record = recordOf(l);
    expect(processInfo(record.server!.pid)?.argv).toEqual(expect.arrayContaining(['server', 'start-dev', String(l.ports.temporal)]));
    // The server runs outside the launcher's group, so that a terminal's Ctrl-C reaches taskhub first.
    expect(processInfo(record.server!.pid)?.pgid).not.toBe(l.child.pid);

    process.kill(-l.child.pid!, 'SIGKILL');
    expect(await l.exited).toBe('SIGKILL');
    expect(await stillRunningAfter([record.watchdog!, record.server!], 10_000)).toEqual([]);
    expect(await canListen(l.ports.temporal, '127.0.0.1')).toBe(true);
    expect(await canListen(l.ports.ui, '127.0.0.1')).toBe(true);
  }, 180_000);

  test('anything else on the Temporal port stops the start, naming the port and the process', async () => {
    const port = await freePort();
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const l = await launch(undefined, { api: await freePort(), temporal: port, ui: await freePort() });
      expect(await l.exited).toBe(1);
      expect(l.output()).toContain(`port ${port} (the embedded Temporal's gRPC, TEMPORAL_DEV_PORT) is already in use by pid ${process.pid} (`);
      expect(l.output()).toContain(processInfo(process.pid)!.argv[0]);
      // Refused before anything started: no dev server, no pidfile.
      expect(fs.existsSync(path.join(l.dataDir, PIDFILE))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 60_000);

  test('a dev server left behind on this DATA_DIR is stopped and replaced; a clean stop leaves nothing behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-launcher-'));
    dirs.push(dataDir);
    const ports = { api: await freePort(), temporal: await freePort(), ui: await freePort() };
    // What a launcher from before pidfiles left: its server, detached, on this DATA_DIR's file and
    // port; and a pidfile naming a launcher that is gone (a process that has exited).
    const orphan = spawn(
      process.env.TEMPORAL_CLI!,
      ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(ports.temporal), '--headless', '--db-filename', path.join(dataDir, DB_FILE)],
      {
        stdio: 'ignore',
        detached: true,
      },
    );
    const orphanId = identityOf(orphan.pid!);
    others.push(orphanId);
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const stale: DevServerRecord = {
      owner: { pid: gone.pid!, startTicks: 1 },
      port: ports.temporal,
      uiPort: ports.ui,
      dbFile: path.join(dataDir, DB_FILE),
      startedAt: '',
    };
    fs.writeFileSync(path.join(dataDir, PIDFILE), JSON.stringify(stale));
    for (let i = 0; i < 100 && (await canListen(ports.temporal, '127.0.0.1')); i++) await sleep(200);
    expect(await canListen(ports.temporal, '127.0.0.1')).toBe(false);

    const l = await launch(dataDir, ports);
    await untilRunning(l);
    expect(isRunning(orphanId)).toBe(false);
    const record = recordOf(l);
    expect(record.owner.pid).toBe(l.child.pid);
    expect(record.server!.pid).not.toBe(orphanId.pid);
    expect(l.output()).toContain('left behind by an earlier run on this DATA_DIR');

    process.kill(l.child.pid!, 'SIGTERM');
    expect(await l.exited).toBe(0);
    expect(await stillRunningAfter([record.watchdog!, record.server!], 15_000)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, PIDFILE))).toBe(false);
  }, 180_000);
});
