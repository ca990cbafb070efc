/**
 * The worker as a process of its own, started the way `worker/main.ts` starts it (search
 * attributes, pollers, sweeper), so a benchmark can read its memory alone. Configured from
 * its environment; exits when told to or when its parent goes away.
 */
import { exitWithParent, forkUntilReady } from './child';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { openDatabase } from '../../runtime/database';
import { connectTemporal } from '../../temporal/connection';
import { startWorker } from '../../worker/start';

export interface WorkerProcess {
  pid: number;
  /** Resident set size of the worker process, from /proc. */
  rssMiB(): number;
  /** Where that memory is: V8 heap pages of all its isolates, and the main thread's heap in use. */
  memory(): Promise<{ v8PagesMiB: number; mainHeapUsedMiB: number }>;
  stop(): Promise<void>;
}

/** `execArgv`: Node flags of the worker process (e.g. a heap limit, to see what memory is garbage). */
export async function startWorkerProcess(env: Record<string, string>, execArgv: string[] = []): Promise<WorkerProcess> {
  const child = await forkUntilReady(__filename, {
    name: 'the worker process',
    env,
    execArgv,
    readyWithinMs: 120_000,
    stopMessage: 'stop',
    killAfterMs: 40_000,
  });
  return {
    pid: child.pid,
    rssMiB: () => rssMiB(child.pid),
    async memory() {
      const used = await child.ask<number>({ what: 'heapUsed' });
      return { v8PagesMiB: v8PagesMiB(child.pid), mainHeapUsedMiB: used / 2 ** 20 };
    },
    stop: child.stop,
  };
}

/**
 * Resident memory of V8's heap pages: V8 maps its heap in anonymous 256 KiB pages, for the
 * main thread and the workflow thread alike, so their sum is the process's JS heaps (live
 * objects and garbage not yet collected), as opposed to native memory (Temporal's core, malloc).
 */
export function v8PagesMiB(pid: number): number {
  const smaps = require('node:fs').readFileSync(`/proc/${pid}/smaps`, 'utf8') as string;
  let kib = 0;
  let heapPage = false;
  for (const line of smaps.split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(\S*)/.exec(line);
    if (mapping) heapPage = parseInt(mapping[2], 16) - parseInt(mapping[1], 16) === 256 * 1024 && mapping[3] === '';
    else if (heapPage && line.startsWith('Rss:')) kib += Number(/(\d+)/.exec(line)![1]);
  }
  return kib / 1024;
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
  process.on('message', (m) => {
    if (m === 'stop') void stop();
    const ask = (m as { ask?: number } | null)?.ask;
    if (ask !== undefined) process.send!({ answer: ask, value: process.memoryUsage().heapUsed });
  });
  exitWithParent(stop);
  process.send!('ready');
}

if (require.main === module && process.send) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
