import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { listMjQuery, mjLogView, toMjLogView } from '../../schemas/midjourney';

export default defineRoute({
  method: 'get',
  path: '/api/mj/self',
  family: 'newapi',
  access: 'user',
  tag: 'midjourney',
  summary: "The caller's Midjourney tasks, newest first (new-api's drawing log). Timestamps in milliseconds (seconds accepted)",
  query: listMjQuery,
  response: pageSchema(mjLogView),
  async handler({ query, caller, deps }) {
    const page = await deps.services.midjourney.list(
      { userId: caller.user.id, mjId: query.mj_id, startTimestamp: query.start_timestamp, endTimestamp: query.end_timestamp },
      pageRequest(query.p, query.page_size),
    );
    const policy = { forward: deps.config.midjourney.forwardUrls, serverAddress: deps.config.serverAddress };
    return toWirePage(page, (t) => toMjLogView(t, policy));
  },
});
