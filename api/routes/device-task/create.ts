import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';
import { createDeviceTasksBody, createdDeviceTasks } from '../../schemas/device-task';

export default defineRoute({
  method: 'post',
  path: '/api/v1/task',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary:
    'Create device tasks: one per serial (or per enabled account with enable_multi_account), or one per username on its bound phone; ' +
    'follow/unfollow/comment one more per target. start_time "HH:MM" is today in TZ (already passed: now)',
  body: createDeviceTasksBody,
  response: createdDeviceTasks,
  async handler({ body, deps }) {
    const tasks = await deviceTaskCommands(deps).create({
      serials: body.serials,
      usernames: body.usernames,
      scriptName: body.script_name || undefined,
      scriptConfig: body.script_config,
      enableMultiAccount: body.enable_multi_account,
      startTime: body.start_time,
      minIntervalMinutes: body.min_interval,
      maxIntervalMinutes: body.max_interval,
      source: 'api',
    });
    return { task_ids: tasks.map((t) => t.id), created_count: tasks.length };
  },
});
