import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { pageSchema, toWirePage } from '../../schemas/common';
import { adminListMjQuery, mjLogView, toAdminMjLogView } from '../../schemas/midjourney';

export default defineRoute({
  method: 'get',
  path: '/api/mj/',
  family: 'newapi',
  access: 'admin',
  tag: 'midjourney',
  summary: 'Every Midjourney task, newest first, filterable by channel and user (admin)',
  query: adminListMjQuery,
  response: pageSchema(mjLogView),
  async handler({ query, deps }) {
    const page = await deps.services.midjourney.list(
      { userId: query.user_id, channelId: query.channel_id, mjId: query.mj_id, startTimestamp: query.start_timestamp, endTimestamp: query.end_timestamp },
      pageRequest(query.p, query.page_size),
    );
    const policy = { forward: deps.config.midjourney.forwardUrls, serverAddress: deps.config.serverAddress };
    return toWirePage(page, (t) => toAdminMjLogView(t, policy));
  },
});
