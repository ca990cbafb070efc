import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { channelView, listChannelsQuery, toChannelView } from '../../schemas/channel';
import { pageSchema, toWirePage } from '../../schemas/common';

export default defineRoute({
  method: 'get',
  path: '/api/channel/',
  family: 'newapi',
  access: 'admin',
  tag: 'channels',
  summary: 'List channels, filtered by type, status or name keyword (keys are never returned)',
  query: listChannelsQuery,
  response: pageSchema(channelView),
  async handler({ query, deps }) {
    const page = await deps.services.channels.list({ type: query.type, status: query.status, keyword: query.keyword }, pageRequest(query.p, query.page_size));
    return toWirePage(page, toChannelView);
  },
});
