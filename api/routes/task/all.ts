import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { adminListTasksQuery, adminTaskView, toAdminTaskView } from '../../schemas/task';

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
    const page = await deps.services.tasks.list(
      {
        channelId: query.channel_id,
        platform: query.platform,
        taskId: query.task_id,
        status: query.status,
        action: query.action,
        startTimestamp: query.start_timestamp,
        endTimestamp: query.end_timestamp,
      },
      pageRequest(query.p, query.page_size),
    );
    return toWirePage(page, toAdminTaskView);
  },
});
