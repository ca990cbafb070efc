import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listTokensQuery, toTokenView, tokenView } from '../../schemas/token';

export default defineRoute({
  method: 'get',
  path: '/api/token/',
  family: 'newapi',
  access: 'user',
  tag: 'tokens',
  summary: "The caller's relay keys (masked), newest first",
  query: listTokensQuery,
  response: pageSchema(tokenView),
  async handler({ query, caller, deps }) {
    const page = await deps.services.tokens.list(caller.user.id, query.keyword, pageRequest(query.p, query.page_size));
    return toWirePage(page, (t) => toTokenView(t));
  },
});
