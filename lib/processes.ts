import fs from 'node:fs';
import net from 'node:net';

/**
 * What Linux's /proc says about processes and listening sockets, read directly so nothing
 * beyond the kernel is needed (no ss, lsof or fuser). Elsewhere (/proc missing) the
 * answers degrade to "unknown", and callers fall back to a bind test and plain pids.
 */

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group: a detached child leads its own. */
  pgid: number;
  /** Clock ticks after boot when it started: a pid plus this names one process, even after pid reuse. */
  startTicks: number;
  /** argv as the process sees it. */
  argv: string[];
}

/** A process as a pidfile remembers it. */
export interface ProcessIdentity {
  pid: number;
  startTicks: number | null;
}

export const HAS_PROC = fs.existsSync('/proc/self/stat');

export function processInfo(pid: number): ProcessInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // fields[0] is field 3 (state) of proc(5): ppid is 4, pgrp 5, starttime 22.
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), startTicks: Number(fields[19]), argv };
  } catch {
    return null;
  }
}

export function identityOf(pid: number): ProcessIdentity {
  return { pid, startTicks: processInfo(pid)?.startTicks ?? null };
}

/** Whether the process a pidfile names still runs: same pid and, where /proc tells, the same start time. */
export function isRunning(id: ProcessIdentity): boolean {
  if (HAS_PROC) {
    const info = processInfo(id.pid);
    return info !== null && (id.startTicks === null || info.startTicks === id.startTicks) && !isZombie(id.pid);
  }
  try {
    process.kill(id.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function allProcesses(): ProcessInfo[] {
  if (!HAS_PROC) return [];
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => processInfo(Number(name)))
    .filter((p): p is ProcessInfo => p !== null);
}

export interface PortListener {
  port: number;
  /** Null when the socket's owner is not visible to this user. */
  process: ProcessInfo | null;
}

/** The process listening on a TCP port (any address, IPv4 or IPv6), or null when nothing does or /proc is missing. */
export function listenerOn(port: number): PortListener | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const name of HAS_PROC ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(name)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // another user's process, or it just ended
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) return { port, process: processInfo(Number(name)) };
    }
  }
  return { port, process: null };
}

/** Socket inodes in state LISTEN (0A) on `port`, from /proc/net/tcp and tcp6. */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const localPort = parseInt(cols[1]!.split(':')[1]!, 16);
      if (localPort === port) inodes.add(cols[9]!);
    }
  }
  return inodes;
}

/** Whether `host:port` can be bound right now: the ground truth behind every /proc answer. */
export function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `pid 123 (temporal server start-dev --port 7233 …)`, shortened for an error message. */
export function describeProcess(info: ProcessInfo | null): string {
  if (!info) return 'a process this user cannot inspect';
  const command = info.argv.join(' ');
  return `pid ${info.pid} (${command.length > 200 ? `${command.slice(0, 200)}…` : command})`;
}

/**
 * SIGTERM to a process group (or one process), then SIGKILL after `graceMs`; resolves once
 * every process named is gone, or after the SIGKILL had its chance.
 */
export async function terminate(targets: { group?: number; pids: ProcessIdentity[] }, graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    if (targets.group) tryKill(-targets.group, sig);
    for (const id of targets.pids) if (isRunning(id)) tryKill(id.pid, sig);
  };
  const gone = () => targets.pids.every((id) => !isRunning(id)) && (!targets.group || !groupAlive(targets.group));
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (!gone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (gone()) return;
  signal('SIGKILL');
  for (let i = 0; i < 50 && !gone(); i++) await new Promise((r) => setTimeout(r, 100));
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return HAS_PROC ? allProcesses().some((p) => p.pgid === pgid && !isZombie(p.pid)) : true;
  } catch {
    return false;
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
