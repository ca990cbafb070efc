import { defineRoute } from '../../route';
import { hourlyCounts, taskStatsQuery } from '../../schemas/stats';
import { statsUserId } from './scope';

export default defineRoute({
  method: 'get',
  path: '/api/stats/tasks',
  family: 'newapi',
  access: 'user',
  tag: 'stats',
  summary: 'Generation tasks (Suno and Midjourney) submitted per hour over the last `hours`, by status; hours without tasks are left out',
  query: taskStatsQuery,
  response: hourlyCounts,
  async handler({ query, caller, deps }) {
    const sinceSeconds = Math.floor(Date.now() / 1000 / 3600 - query.hours + 1) * 3600;
    return deps.services.stats.tasksPerHour({ userId: statsUserId(caller.user, query.scope), sinceSeconds });
  },
});
