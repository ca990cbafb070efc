import { deviceTaskCommands } from '../../../services/device-task-commands';
import { defineRoute } from '../../route';
import { deviceTaskView, taskIdParams, toDeviceTaskView } from '../../schemas/device-task';

export default defineRoute({
  method: 'post',
  path: '/api/v1/task/:id/retry',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Run a failed task again now (retry_count + 1, up to DEVICE_TASK_MAX_RETRIES)',
  params: taskIdParams,
  response: deviceTaskView,
  async handler({ params, deps }) {
    return toDeviceTaskView(await deviceTaskCommands(deps).retry(params.id), deps.config.devices.timeZone);
  },
});
