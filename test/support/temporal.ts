import { randomBytes } from 'node:crypto';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { DeviceLayer } from '../../devices';
import { loadConfig, type Config } from '../../lib/config';
import type { Services } from '../../services';
import { connectTemporal, type TemporalHandle } from '../../temporal/connection';
import { createTaskWorkflows } from '../../temporal/task-workflows';
import { ensureMjPoller, ensureSunoPoller } from '../../temporal/task-workflows/singletons';
import { createWorker } from '../../worker/create-worker';

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('no Temporal dev server: this suite needs the global setup (unset TASKHUB_TEST_NO_TEMPORAL)');
  return address;
}

export interface TestWorker {
  temporal: TemporalHandle;
  worker: Worker;
  taskQueue: string;
  config: Config;
  /** Stops polling and drains, like a worker process shutting down. */
  stop(): Promise<void>;
}

export interface TestWorkerOptions {
  /** Environment overrides (TASK_POLL_INTERVAL, TASK_TIMEOUT_MINUTES, …). */
  env?: Record<string, string>;
  /** Reuse a task queue, e.g. to restart a "crashed" worker. */
  taskQueue?: string;
  /** Start this suite's own batched Suno poller. */
  sunoPoller?: boolean;
  /** Start this suite's own batched Midjourney poller (`mj-poller-<task queue>`). */
  mjPoller?: boolean;
  /** The Appium layer device scripts run through (e.g. one with short waits for the fake driver). */
  deviceLayer?: DeviceLayer;
}

let runtimeReady = false;

/** The SDK logs expected activity failures (e.g. an upstream that is down on purpose); keep them out unless asked for. */
export function quietRuntime(): void {
  if (runtimeReady) return;
  runtimeReady = true;
  if (process.env.TASKHUB_TEST_SDK_LOGS) return;
  // Core's own logs (a replay meant to fail warns about it) go through the same silent logger.
  Runtime.install({
    logger: new DefaultLogger('ERROR', () => undefined),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
}

/** A real worker with real activities on a task queue of its own, against the suite's dev server. */
export async function startTestWorker(services: Services, options: TestWorkerOptions = {}): Promise<TestWorker> {
  quietRuntime();
  const address = temporalAddress();
  const taskQueue = options.taskQueue ?? `test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ LOG_LEVEL: 'silent', UPSTREAM_TIMEOUT_SECONDS: '5', ...options.env, TEMPORAL_TASK_QUEUE: taskQueue });
  const temporal = await connectTemporal(address, 'default');
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: { services, workflows: createTaskWorkflows(temporal.client, config), config, deviceLayer: options.deviceLayer },
    workflowBundlePath: process.env.TASKHUB_WORKFLOW_BUNDLE,
  });
  const running = worker.run();
  if (options.sunoPoller) await ensureSunoPoller(temporal.client, taskQueue, config.taskPollIntervalSeconds, `suno-poller-${taskQueue}`);
  if (options.mjPoller) await ensureMjPoller(temporal.client, taskQueue, config.taskPollIntervalSeconds, `mj-poller-${taskQueue}`);
  let stopped: Promise<void> | undefined;
  return {
    temporal,
    worker,
    taskQueue,
    config,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
        await temporal.close();
      })();
      return stopped;
    },
  };
}
