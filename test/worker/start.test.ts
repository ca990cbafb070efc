import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { temporal } from '@temporalio/proto';
import { DEVICE_SWEEPER_ID, MJ_POLLER_ID, SUNO_POLLER_ID } from '../../domain';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createServices } from '../../services';
import { connectTemporal, type TemporalHandle } from '../../temporal/connection';
import { startWorker, type RunningWorker } from '../../worker/start';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { freePort } from '../support/ports';

/**
 * The production worker (worker/main.ts, `npm start`) against the suite's dev server: the task
 * workflows on TEMPORAL_TASK_QUEUE, the singletons on a queue of their own. It creates the
 * cluster-wide singletons and schedule, so it runs against a dev server of its own.
 */
describe('the production worker', () => {
  const SINGLETONS = [SUNO_POLLER_ID, MJ_POLLER_ID, DEVICE_SWEEPER_ID];
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ LOG_LEVEL: 'silent', TEMPORAL_TASK_QUEUE: taskQueue, TASK_POLL_INTERVAL: '1' });
  let db: TestDatabase;
  let handle: TemporalHandle;
  let server: DevServer;
  const running: RunningWorker[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    server = await startDevServer({ cliPath: process.env.TEMPORAL_CLI!, port: await freePort() });
    handle = await connectTemporal(server.address, 'default');
  });
  afterAll(async () => {
    await Promise.all(running.map((w) => w.shutdown()));
    for (const id of SINGLETONS) {
      await handle?.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    }
    await handle?.close();
    await server?.stop();
    await db?.destroy();
  });

  const start = async () => {
    const worker = await startWorker(config, { services: createServices(db.orm), log: createLogger('silent'), temporal: handle, address: server.address });
    running.push(worker);
  };

  test('runs the pollers and the sweeper on their own queue, moving runs an older version left on the task queue', async () => {
    expect(config.temporal.pollerTaskQueue).toBe(`${taskQueue}-pollers`);
    // What a worker before the pollers' queue existed started (it stays there across continue-as-new).
    const old = await handle.client.workflow.start('generationPoller', {
      workflowId: SUNO_POLLER_ID,
      taskQueue,
      args: [{ platform: 'suno', intervalSeconds: 1 }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });

    // Two workers starting at once settle on one run of each singleton.
    await Promise.all([start(), start()]);

    const oldRun = await handle.client.workflow.getHandle(SUNO_POLLER_ID, old.firstExecutionRunId).describe();
    expect(oldRun.status.name).toBe('TERMINATED');
    for (const id of SINGLETONS) {
      const now = await handle.client.workflow.getHandle(id).describe();
      expect([id, now.status.name, now.taskQueue]).toEqual([id, 'RUNNING', config.temporal.pollerTaskQueue]);
    }
    // A poll round runs there: its activity is scheduled and completed on the pollers' queue.
    let events: temporal.api.history.v1.IHistoryEvent[] = [];
    for (let i = 0; i < 100 && !events.some((e) => e.activityTaskCompletedEventAttributes); i++) {
      events = (await handle.client.workflow.getHandle(SUNO_POLLER_ID).fetchHistory()).events ?? [];
      await new Promise((r) => setTimeout(r, 100));
    }
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
    expect(scheduled?.activityType?.name).toBe('pollChannels');
    expect(scheduled?.taskQueue?.name).toBe(config.temporal.pollerTaskQueue);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
  });

  test('caps the heap of the workflow threads it starts at TEMPORAL_WORKFLOW_HEAP_MIB', async () => {
    // started above; a thread created now gets what the SDK's workflow threads got
    expect(running.length).toBeGreaterThan(0);
    const thread = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapStatistics().heap_size_limit)", { eval: true });
    const limit = await new Promise<number>((resolve, reject) => thread.once('message', resolve).once('error', reject));
    await thread.terminate();
    // Old space at the setting, plus V8's young generation.
    expect(limit / 2 ** 20).toBeGreaterThanOrEqual(config.temporal.workflowHeapMiB);
    expect(limit / 2 ** 20).toBeLessThan(config.temporal.workflowHeapMiB + 256);
  });

  test('refuses a pollers queue equal to the task queue', () => {
    expect(() => loadConfig({ TEMPORAL_TASK_QUEUE: 'same', TEMPORAL_POLLER_TASK_QUEUE: 'same' })).toThrow(/TEMPORAL_POLLER_TASK_QUEUE: must differ/);
  });
});
