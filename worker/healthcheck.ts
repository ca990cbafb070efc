import os from 'node:os';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../lib/config';

/**
 * Container health check: exits 0 when a worker on this host polled our task
 * queue in the last two minutes, as the Temporal server sees it.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporal.address ?? 'localhost:7233', connectTimeout: 5000 });
  try {
    const res = await connection.workflowService.describeTaskQueue({
      namespace: config.temporal.namespace,
      taskQueue: { name: config.temporal.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const cutoff = Date.now() / 1000 - 120;
    const mine = (res.pollers ?? []).filter((p) => p.identity?.endsWith(`@${os.hostname()}`) && Number(p.lastAccessTime?.seconds ?? 0) >= cutoff);
    return mine.length > 0 ? 0 : 1;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
