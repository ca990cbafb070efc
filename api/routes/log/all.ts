import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listLogQuery, logEntryView, toLogEntryView, toLogFilter } from '../../schemas/log';

export default defineRoute({
  method: 'get',
  path: '/api/log/',
  family: 'newapi',
  access: 'admin',
  tag: 'ledger',
  summary: "Quota ledger entries, newest first (new-api's usage log): top-ups, admin adjustments, charges and refunds; `user_id` for one user's",
  query: listLogQuery,
  response: pageSchema(logEntryView),
  async handler({ query, deps }) {
    const page = await deps.services.quotaLog.list({ userId: query.user_id, ...toLogFilter(query) }, pageRequest(query.p, query.page_size));
    return toWirePage(page, toLogEntryView);
  },
});
