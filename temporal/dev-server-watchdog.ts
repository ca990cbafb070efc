/**
 * Runs `temporal server start-dev` as its child and ends it when the process that asked
 * for it is gone, however that process ended. Node has no PR_SET_PDEATHSIG, and a SIGKILL
 * (the OOM killer, `kill -9`, a closed container) runs no exit hook, so the owner's death
 * is noticed from outside:
 *
 * - stdin is a pipe whose other end only the owner holds; the kernel closes it when the
 *   owner dies, so end-of-file arrives at once, even after SIGKILL;
 * - as a second line, the parent pid is polled: once the owner is gone this process is
 *   re-parented and `process.ppid` changes.
 *
 * It runs in the server's own process group (the owner spawns it detached), so a signal to
 * the owner's group (a terminal's Ctrl-C, `kill -9 -<pgid>`) leaves it alive to clean up.
 * SIGTERM/SIGINT/SIGHUP are passed on to the server; the server's exit status is its own.
 *
 * Usage: node dev-server-watchdog.js <owner pid> <temporal cli> <args…>
 * (it only uses node: built-ins and erasable types, so Node 24 also runs the .ts source).
 */
import { spawn } from 'node:child_process';

/** A server that ignores SIGTERM this long gets SIGKILL. */
const STOP_GRACE_MS = 5000;
const PARENT_POLL_MS = 500;

const [ownerArg, cli, ...args] = process.argv.slice(2);
const owner = Number(ownerArg);
if (!Number.isInteger(owner) || owner <= 1 || !cli) {
  process.stderr.write('usage: dev-server-watchdog <owner pid> <temporal cli> <args…>\n');
  process.exit(2);
}

const server = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  server.kill(signal);
  setTimeout(() => server.kill('SIGKILL'), STOP_GRACE_MS).unref();
}

server.once('error', (err) => {
  process.stderr.write(`dev-server-watchdog: cannot run ${cli}: ${err.message}\n`);
  process.exit(127);
});
server.once('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1)));

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => stop('SIGTERM'));
process.stdin.on('end', () => stop('SIGTERM'));
process.stdin.on('error', () => stop('SIGTERM'));
process.stdin.resume();
setInterval(() => {
  if (process.ppid !== owner) stop('SIGTERM');
}, PARENT_POLL_MS);
