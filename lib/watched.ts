import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Runs from dist/ as .js, and from the sources (Jest) as .ts, which Node 24 runs directly. */
const WATCHDOG = path.join(__dirname, `watchdog${path.extname(__filename)}`);

export interface WatchedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the command's stdout and stderr go: piped to us (default), ignored, or an open file. */
  output?: 'pipe' | 'ignore' | number;
}

/**
 * Starts `command` under lib/watchdog.ts, in a process group of its own that it leads: the
 * command ends when we do, even if we are killed with SIGKILL, and a terminal's Ctrl-C to
 * our group does not reach it (we stop it ourselves, in order). The returned process is the
 * watchdog; SIGTERM to it stops the command, and its exit status is the command's.
 */
export function spawnWatched(command: string, args: string[], options: WatchedOptions = {}): ChildProcess {
  const output = options.output ?? 'pipe';
  return spawn(process.execPath, [WATCHDOG, String(process.pid), command, ...args], {
    // stdin is the pipe whose closing tells the watchdog that we are gone.
    stdio: ['pipe', output, output],
    detached: true,
    env: options.env,
    cwd: options.cwd,
  });
}
