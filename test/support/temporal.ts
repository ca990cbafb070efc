import { randomBytes } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Services } from '../../services';
import { connectTemporal, type TemporalHandle } from '../../temporal/connection';
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
  stop(): Promise<void>;
}

/** A real worker with real activities on a task queue of its own, against the suite's dev server. */
export async function startTestWorker(services: Services): Promise<TestWorker> {
  const address = temporalAddress();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const temporal = await connectTemporal(address, 'default');
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: createActivities({ services }),
    workflowBundlePath: process.env.TASKHUB_WORKFLOW_BUNDLE,
  });
  const running = worker.run();
  return {
    temporal,
    worker,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await temporal.close();
    },
  };
}
