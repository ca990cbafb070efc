import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { adminListTasksQuery, taskFilterOf, taskView, toTaskView } from '../../schemas/task';

export default defineRoute({
  method: 'get',
  path: '/api/task/',
  family: 'newapi',
  access: 'admin',
  tag: 'tasks',
  summary: "All generation tasks, newest first, with each task's channel_id and its user's username",
  query: adminListTasksQuery,
  response: pageSchema(taskView),
  async handler({ query, deps }) {
    const page = await deps.services.tasks.list({ ...taskFilterOf(query), channelId: query.channel_id }, pageRequest(query.p, query.page_size));
    const names = await deps.services.users.usernames(page.items.map((t) => t.userId));
    return toWirePage(page, (t) => toTaskView(t, { showChannel: true, username: names.get(t.userId) }));
  },
});
