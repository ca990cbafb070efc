import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { adminListTasksQuery, adminTaskView, taskFilterOf, toAdminTaskView } from '../../schemas/task';

export default defineRoute({
  method: 'get',
  path: '/api/task/',
  family: 'newapi',
  access: 'admin',
  tag: 'tasks',
  summary: 'All generation tasks, newest first, with channel_id',
  query: adminListTasksQuery,
  response: pageSchema(adminTaskView),
  async handler({ query, deps }) {
    const page = await deps.services.tasks.list({ ...taskFilterOf(query), channelId: query.channel_id }, pageRequest(query.p, query.page_size));
    return toWirePage(page, toAdminTaskView);
  },
});
