import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { deviceTaskPage, listDeviceTasksQuery, toDeviceTaskView } from '../../schemas/device-task';

export default defineRoute({
  method: 'get',
  path: '/api/v1/task',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Device tasks, newest first, filtered by status (0 pending, 1 running, 2 completed, 3 failed), serial, script_name or source',
  query: listDeviceTasksQuery,
  response: deviceTaskPage,
  async handler({ query, deps }) {
    const page = await deps.services.deviceTasks.list(
      { status: query.status as 0 | 1 | 2 | 3 | undefined, serial: query.serial, scriptName: query.script_name, source: query.source },
      pageRequest(query.page, query.page_size),
    );
    const zone = deps.config.devices.timeZone;
    return { tasks: page.items.map((t) => toDeviceTaskView(t, zone)), total: page.total, page: page.page, page_size: page.pageSize };
  },
});
