import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listSelfLogQuery, logEntryView, toLogEntryView, toLogFilter } from '../../schemas/log';

export default defineRoute({
  method: 'get',
  path: '/api/log/self',
  family: 'newapi',
  access: 'user',
  tag: 'ledger',
  summary: "The caller's own quota ledger entries, newest first",
  query: listSelfLogQuery,
  response: pageSchema(logEntryView),
  async handler({ query, caller, deps }) {
    const page = await deps.services.quotaLog.list({ userId: caller.user.id, ...toLogFilter(query) }, pageRequest(query.p, query.page_size));
    return toWirePage(page, toLogEntryView);
  },
});
