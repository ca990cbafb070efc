import { z } from 'zod';
import { doc } from './doc';

/** The Temporal cluster, the task queues and the worker's memory. */
export const temporalEnv = {
  TEMPORAL_ADDRESS: z
    .string()
    .optional()
    .meta(
      doc('temporal', 'frontend of an external Temporal cluster', {
        accepts: '`host:port`',
        defaultText: '`npm start`: its own embedded dev server; the `api` and `worker` entry points: `localhost:7233`',
      }),
    ),
  TEMPORAL_NAMESPACE: z.string().default('default').meta(doc('temporal', 'Temporal namespace of every workflow')),
  TEMPORAL_TASK_QUEUE: z.string().default('taskhub').meta(doc('temporal', 'task queue the worker polls and the API starts workflows on')),
  TEMPORAL_POLLER_TASK_QUEUE: z
    .string()
    .optional()
    .meta(
      doc(
        'temporal',
        'task queue of the batched pollers and the device-task sweeper, which every worker also polls; kept apart so a control loop never waits behind the thousands of task workflows it drives (docs/design-notes.md#pollers-on-their-own-task-queue)',
        { defaultText: '`<TEMPORAL_TASK_QUEUE>-pollers`' },
      ),
    ),
  TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce
    .number()
    .int()
    .min(0)
    .default(250)
    .meta(
      doc(
        'temporal',
        "workflows a worker keeps in memory between their activations (the SDK's sticky cache, `maxCachedWorkflows`); past it the least recently used is evicted and replayed from its history when it next wakes. Bounds the worker's memory with many tasks in flight (docs/design-notes.md#worker-memory)",
      ),
    ),
  TEMPORAL_WORKFLOW_HEAP_MIB: z.coerce
    .number()
    .int()
    .min(0)
    .default(384)
    .meta(
      doc(
        'temporal',
        "old-space limit of the worker's workflow threads (V8's `--max-old-space-size` for the isolates where cached workflows live; 0 leaves V8's default, a quarter of the machine's memory up to 4 GiB). Under V8's default limit garbage is collected so lazily that a worker with 5,000 tasks in flight sat at 1.15 GiB; raise it with TEMPORAL_MAX_CACHED_WORKFLOWS (docs/design-notes.md#worker-memory)",
        { accepts: 'MiB' },
      ),
    ),
  TEMPORAL_UI_URL: z
    .string()
    .optional()
    .meta(doc('temporal', 'Temporal UI address that `npm start` prints when Temporal is external', { accepts: 'URL', defaultText: 'none' })),
  TEMPORAL_CLI: z
    .string()
    .optional()
    .meta(
      doc('temporal', 'the `temporal` binary that runs the embedded dev server', {
        accepts: 'path',
        defaultText: 'found or built by `scripts/temporal-cli.sh`',
      }),
    ),
  TEMPORAL_DEV_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(7233)
    .meta(doc('temporal', "gRPC port of `npm start`'s embedded dev server; give a second checkout another one to run both on one machine")),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233).meta(doc('temporal', "Web UI port of `npm start`'s embedded dev server")),
  WORKFLOW_HISTORY_BUDGET: z.coerce
    .number()
    .int()
    .min(50)
    .default(4000)
    .meta(
      doc(
        'temporal',
        "events a generation task's or a phone lock's run may reach before it continues as new (sooner if Temporal suggests it), so no history nears Temporal's 51,200-event limit",
      ),
    ),
};
