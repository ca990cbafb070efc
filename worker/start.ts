import os from 'node:os';
import v8 from 'node:v8';
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, type LogLevel, type Worker } from '@temporalio/worker';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { Services } from '../services';
import type { TemporalHandle } from '../temporal/connection';
import { ensureSearchAttributes } from '../temporal/connection';
import { createTaskWorkflows } from '../temporal/task-workflows';
import { ensureDeviceSweeper, ensureLedgerAuditSchedule, ensureMjPoller, ensureSunoPoller } from '../temporal/task-workflows/singletons';
import { createWorker } from './create-worker';

export interface RunningWorker {
  /** Settles when the worker has stopped polling and finished in-flight work. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

/** Routes the SDK's own logs into our JSON logger (once per process: the Runtime is global to the SDK). */
function installRuntimeLogger(log: Logger, level: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const sdkLevel = (['trace', 'debug', 'info', 'warn', 'error'].includes(level) ? level.toUpperCase() : 'WARN') as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => {
      const fields = { event: 'temporal.sdk', ...entry.meta };
      const method = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : entry.level === 'INFO' ? 'info' : 'debug';
      log[method](fields, entry.message);
    }),
  });
}

export async function startWorker(
  config: Config,
  parts: { services: Services; log: Logger; temporal: TemporalHandle; address: string },
): Promise<RunningWorker> {
  installRuntimeLogger(parts.log, config.logLevel === 'info' ? 'warn' : config.logLevel);
  const added = await ensureSearchAttributes(parts.temporal.connection, config.temporal.namespace);
  if (added.length) parts.log.info({ event: 'temporal.search_attributes_added', added }, 'registered search attributes');
  const schedule = await ensureLedgerAuditSchedule(parts.temporal.client, config.temporal.taskQueue, config.ledgerAuditCron);
  parts.log.info({ event: 'temporal.schedule', schedule: 'ledger-audit', state: schedule }, 'ledger audit schedule ready');

  // Process-wide, so it reaches the isolates created from now on: the SDK's workflow threads,
  // where the cached workflows live and whose garbage V8 otherwise leaves for gigabytes.
  if (config.temporal.workflowHeapMiB > 0) v8.setFlagsFromString(`--max-old-space-size=${config.temporal.workflowHeapMiB}`);
  const connection = await NativeConnection.connect({ address: parts.address });
  const bundlePath = process.env.TASKHUB_WORKFLOW_BUNDLE;
  // One bundle for both workers: bundling takes seconds and a few dozen MiB each time.
  const workflowBundle = bundlePath
    ? { codePath: bundlePath }
    : await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: Runtime.instance().logger });
  const shared = {
    connection,
    namespace: config.temporal.namespace,
    activities: { services: parts.services, workflows: createTaskWorkflows(parts.temporal.client, config), config },
    workflowBundle,
    identity: `${process.pid}@${os.hostname()}`,
  };
  const workers = [
    await createWorker({ ...shared, taskQueue: config.temporal.taskQueue, maxCachedWorkflows: config.temporal.maxCachedWorkflows }),
    // The pollers' own queue, slots and workflow thread: a round never waits behind the
    // backlog of the thousands of task workflows it signals (docs/design-notes.md).
    await createWorker({ ...shared, taskQueue: config.temporal.pollerTaskQueue, maxCachedWorkflows: 10, slots: POLLER_SLOTS }),
  ];
  const done = runTogether(workers).finally(() => connection.close());
  const pollers = config.temporal.pollerTaskQueue;
  await ensureSunoPoller(parts.temporal.client, pollers, config.taskPollIntervalSeconds);
  await ensureMjPoller(parts.temporal.client, pollers, config.taskPollIntervalSeconds);
  await ensureDeviceSweeper(parts.temporal.client, pollers);
  parts.log.info({ event: 'worker.started', task_queue: config.temporal.taskQueue, poller_task_queue: pollers }, 'worker polling');
  return {
    done,
    async shutdown() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/** Two pollers and a sweeper: a round each, with room for a round that outlives its period. */
const POLLER_SLOTS = { maxConcurrentActivityTaskExecutions: 8, maxConcurrentWorkflowTaskExecutions: 4 };

/** Runs the workers until all have stopped; one that stops (or fails) stops the others. */
async function runTogether(workers: Worker[]): Promise<void> {
  const stopOthers = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  const results = await Promise.allSettled(workers.map((w) => w.run().finally(stopOthers)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
