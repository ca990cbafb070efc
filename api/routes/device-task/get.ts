import { defineRoute } from '../../route';
import { deviceTaskView, taskIdParams, toDeviceTaskView } from '../../schemas/device-task';

export default defineRoute({
  method: 'get',
  path: '/api/v1/task/:id',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'One device task',
  params: taskIdParams,
  response: deviceTaskView,
  async handler({ params, deps }) {
    return toDeviceTaskView(await deps.services.deviceTasks.get(params.id), deps.config.devices.timeZone);
  },
});
