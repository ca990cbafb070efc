import { defineRoute } from '../../route';
import { deviceTaskStats, deviceTaskStatsQuery } from '../../schemas/device-task';

export default defineRoute({
  method: 'get',
  path: '/api/v1/task/stats',
  family: 'tikmatrix',
  access: 'licensed',
  tag: 'device tasks',
  summary: 'Task counts by status; the list filters serial, script_name and source apply too',
  query: deviceTaskStatsQuery,
  response: deviceTaskStats,
  async handler({ query, deps }) {
    return deps.services.deviceTasks.stats({ serial: query.serial, scriptName: query.script_name, source: query.source });
  },
});
