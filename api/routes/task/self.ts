import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listTasksQuery, taskFilterOf, taskView, toTaskView } from '../../schemas/task';

export default defineRoute({
  method: 'get',
  path: '/api/task/self',
  family: 'newapi',
  access: 'user',
  tag: 'tasks',
  summary: "The caller's generation tasks, newest first (new-api's task center)",
  query: listTasksQuery,
  response: pageSchema(taskView),
  async handler({ query, caller, deps }) {
    const page = await deps.services.tasks.list({ ...taskFilterOf(query), userId: caller.user.id }, pageRequest(query.p, query.page_size));
    return toWirePage(page, (t) => toTaskView(t, { showChannel: false }));
  },
});
