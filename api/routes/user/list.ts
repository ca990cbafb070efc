import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listUsersQuery, toUserView, userView } from '../../schemas/user';

export default defineRoute({
  method: 'get',
  path: '/api/user/',
  family: 'newapi',
  access: 'admin',
  tag: 'users',
  summary: 'List users, newest first, filtered by username keyword, role or status',
  query: listUsersQuery,
  response: pageSchema(userView),
  async handler({ query, deps }) {
    const page = await deps.services.users.list({ keyword: query.keyword, role: query.role, status: query.status }, pageRequest(query.p, query.page_size));
    return toWirePage(page, toUserView);
  },
});
