import { defineRoute } from '../../route';
import { channelView, toChannelView } from '../../schemas/channel';
import { idParams } from '../../schemas/common';

export default defineRoute({
  method: 'get',
  path: '/api/channel/:id',
  family: 'newapi',
  access: 'admin',
  tag: 'channels',
  summary: 'One channel by id (without its key)',
  params: idParams,
  response: channelView,
  async handler({ params, deps }) {
    return toChannelView(await deps.services.channels.get(params.id));
  },
});
