import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { allProcesses } from '../../lib/processes';
import { spawnWatched } from '../../lib/watched';
import { startedGroup } from './groups';
import { waitFor } from './wait';

export type Role = 'api' | 'worker';

/**
 * One taskhub process of the drill, run from the compiled production entry point
 * (`api/main.js` or `worker/main.js`) under a watchdog, its output appended to a log file.
 */
export class Member {
  private watchdog: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private logOffset = 0;
  starts = 0;

  constructor(
    readonly name: string,
    readonly role: Role,
    private readonly entry: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    /** The API's port; workers have none. */
    readonly port?: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and resolves once it serves (API: /healthz 200) or polls (worker: its start-up log line). */
  async start(timeoutMs = 90_000): Promise<void> {
    this.logOffset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
    const fd = fs.openSync(this.logFile, 'a');
    try {
      this.watchdog = spawnWatched(process.execPath, [this.entry], { env: this.env, output: fd });
      startedGroup(this.watchdog.pid);
    } finally {
      fs.closeSync(fd);
    }
    const watchdog = this.watchdog;
    this.exited = new Promise((resolve) => watchdog.once('exit', () => resolve()));
    this.starts++;
    await waitFor(`${this.name} to come up (log: ${this.logFile})`, timeoutMs, 200, async () => {
      if (watchdog.exitCode !== null) throw new Error(`${this.name} exited with ${watchdog.exitCode} while starting; see ${this.logFile}`);
      return this.role === 'api' ? this.healthy() : this.logSince().includes('"event":"worker.started"');
    });
  }

  /** The taskhub process itself (the watchdog's child), for SIGKILL. */
  pid(): number | undefined {
    const watchdog = this.watchdog?.pid;
    return watchdog === undefined ? undefined : allProcesses().find((p) => p.ppid === watchdog)?.pid;
  }

  /** What a crash looks like: SIGKILL to the process, no shutdown of any kind. */
  async kill9(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) throw new Error(`${this.name} is not running`);
    process.kill(pid, 'SIGKILL');
    await this.exited;
  }

  /** A clean stop: SIGTERM, drained. */
  async stop(): Promise<void> {
    if (!this.watchdog || this.watchdog.exitCode !== null || this.watchdog.signalCode !== null) return;
    this.watchdog.kill('SIGTERM');
    await this.exited;
  }

  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(3000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  private logSince(): string {
    try {
      const fd = fs.openSync(this.logFile, 'r');
      try {
        const size = fs.fstatSync(fd).size - this.logOffset;
        const buf = Buffer.alloc(Math.max(0, size));
        fs.readSync(fd, buf, 0, buf.length, this.logOffset);
        return buf.toString();
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return '';
    }
  }
}

/** The drill's processes: 2 APIs and 2 workers against one Temporal and one database. */
export function fleet(buildDir: string, logDir: string, env: NodeJS.ProcessEnv, apiPorts: number[], workers: number): Member[] {
  const apis = apiPorts.map(
    (port, i) =>
      new Member(`api-${i + 1}`, 'api', path.join(buildDir, 'api/main.js'), { ...env, PORT: String(port) }, path.join(logDir, `api-${i + 1}.log`), port),
  );
  const workerMembers = Array.from(
    { length: workers },
    (_, i) => new Member(`worker-${i + 1}`, 'worker', path.join(buildDir, 'worker/main.js'), env, path.join(logDir, `worker-${i + 1}.log`)),
  );
  return [...apis, ...workerMembers];
}
