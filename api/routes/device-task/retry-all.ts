import { z } from 'zod';
import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';

export default defineRoute({
  method: 'post',
  path: '/api/v1/task/retry-all',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Retry every failed task that may run again; those at the retry limit or on a removed/disabled phone or account are skipped',
  response: z.object({ retried_count: z.number().int(), skipped_count: z.number().int() }),
  async handler({ deps }) {
    const { retried, skipped } = await deviceTaskCommands(deps).retryAll();
    return { retried_count: retried, skipped_count: skipped };
  },
});
