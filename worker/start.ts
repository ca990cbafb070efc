import os from 'node:os';
import { NativeConnection, Runtime, DefaultLogger, type LogLevel } from '@temporalio/worker';
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

  const connection = await NativeConnection.connect({ address: parts.address });
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: { services: parts.services, workflows: createTaskWorkflows(parts.temporal.client, config), config },
    workflowBundlePath: process.env.TASKHUB_WORKFLOW_BUNDLE,
    identity: `${process.pid}@${os.hostname()}`,
    maxCachedWorkflows: config.temporal.maxCachedWorkflows,
  });
  const done = worker.run().finally(() => connection.close());
  await ensureSunoPoller(parts.temporal.client, config.temporal.taskQueue, config.taskPollIntervalSeconds);
  await ensureMjPoller(parts.temporal.client, config.temporal.taskQueue, config.taskPollIntervalSeconds);
  await ensureDeviceSweeper(parts.temporal.client, config.temporal.taskQueue);
  parts.log.info({ event: 'worker.started', task_queue: config.temporal.taskQueue }, 'worker polling');
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
