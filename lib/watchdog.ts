/**
 * Runs a command as its child and ends it when the process that asked for it is gone,
 * however that process ended. Node has no PR_SET_PDEATHSIG, and a SIGKILL (the OOM killer,
 * `kill -9`, a closed container) runs no exit hook, so the owner's death is noticed from
 * outside:
 *
 * - stdin is a pipe whose other end only the owner holds; the kernel closes it when the
 *   owner dies, so end-of-file arrives at once, even after SIGKILL;
 * - as a second line, the parent pid is polled: once the owner is gone this process is
 *   re-parented and `process.ppid` changes.
 *
 * The owner spawns it detached, so it leads a process group of its own with the command in
 * it: a signal to the owner's group (a terminal's Ctrl-C, `kill -9 -<pgid>`) leaves it
 * alive to clean up. SIGTERM/SIGINT/SIGHUP are passed on as SIGTERM; the command's exit
 * status becomes its own. `npm start` runs its Temporal dev server this way, and the
 * scale-out drill every process it starts.
 *
 * Usage: node watchdog.js <owner pid> <command> <args…>   (see spawnWatched in ./watched.ts)
 * It uses only node: built-ins and erasable types, so Node 24 also runs the .ts source.
 */
import { spawn } from 'node:child_process';

/** A command that ignores SIGTERM this long gets SIGKILL. */
const STOP_GRACE_MS = 5000;
const PARENT_POLL_MS = 500;

const [ownerArg, command, ...args] = process.argv.slice(2);
const owner = Number(ownerArg);
if (!Number.isInteger(owner) || owner <= 1 || !command) {
  process.stderr.write('usage: watchdog <owner pid> <command> <args…>\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  child.kill(signal);
  setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
}

child.once('error', (err) => {
  process.stderr.write(`watchdog: cannot run ${command}: ${err.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop('SIGTERM'));
process.stdin.on('end', () => stop('SIGTERM'));
process.stdin.on('error', () => stop('SIGTERM'));
process.stdin.resume();
setInterval(() => {
  if (process.ppid !== owner) stop('SIGTERM');
}, PARENT_POLL_MS);
