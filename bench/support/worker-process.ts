/**
 * The worker as a process of its own, started the way `worker/main.ts` starts it (search
 * attributes, pollers, sweeper), so a benchmark can read its memory alone. Configured from
 * its environment; exits when told to or when its parent goes away.
 */
import { forkUntilReady } from './child';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { openDatabase } from '../../runtime/database';
import { connectTemporal } from '../../temporal/connection';
import { startWorker } from '../../worker/start';

export interface WorkerProcess {
  pid: number;
  /** Resident set size of the worker process, from /proc. */
  rssMiB(): number;
  stop(): Promise<void>;
}

export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = await forkUntilReady(__filename, { name: 'the worker process', env, readyWithinMs: 120_000, stopMessage: 'stop', killAfterMs: 40_000 });
  return { pid: child.pid, rssMiB: () => rssMiB(child.pid), stop: child.stop };
}

export function rssMiB(pid: number): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: 'worker' });
  const { orm, services } = await openDatabase(config, log, false);
  const temporal = await connectTemporal(config.temporal.address!, config.temporal.namespace);
  const worker = await startWorker(config, { services, log, temporal, address: config.temporal.address! });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.shutdown();
    await temporal.close();
    await orm.close(true);
    process.exit(0);
  };
  process.on('message', (m) => m === 'stop' && void stop());
  process.on('disconnect', () => void stop());
  process.send!('ready');
}

if (require.main === module && process.send) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
