import os from 'node:os';
import { type NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';

export interface WorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** What the activities are built from; only the worker builds and registers them. */
  activities: ActivityDeps;
  /** A prebuilt bundle (tests, production images); otherwise workflows are bundled at start. */
  workflowBundlePath?: string;
  /** A bundle built in this process, shared by its workers instead of each bundling its own. */
  workflowBundle?: WorkflowBundleOption;
  identity?: string;
  /** Sticky cache size (TEMPORAL_MAX_CACHED_WORKFLOWS); the SDK sizes it from the heap otherwise. */
  maxCachedWorkflows?: number;
  /** Slots, for a worker whose queue carries only a few workflows (the pollers'). */
  slots?: Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>;
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = deps.workflowBundle
    ? { workflowBundle: deps.workflowBundle }
    : deps.workflowBundlePath
      ? { workflowBundle: { codePath: deps.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities(deps.activities),
    // pid@host: the worker health check finds this host's pollers by the suffix.
    identity: deps.identity ?? `${process.pid}@${os.hostname()}`,
    ...workflows,
    // Drain in-flight activities on shutdown before giving up on them.
    shutdownGraceTime: '30s',
    // A stopped device script learns of its cancellation at its next heartbeat that reaches the
    // server; the default throttle (0.8 x its 5 s heartbeat timeout) made a stop take ~3 s.
    // The cost is one heartbeat call a second per running script.
    maxHeartbeatThrottleInterval: '1s',
    // Each cached workflow holds its state and SDK bookkeeping in the worker's heap; with
    // thousands of generation tasks in flight the SDK's heap-sized default let the process
    // grow past 1 GiB. Evicted workflows replay their (short) history when they next wake.
    ...(deps.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
    ...deps.slots,
  });
}
