import { defineRoute } from '../../route';
import { channelView, toChannelInput, toChannelView, updateChannelBody } from '../../schemas/channel';

export default defineRoute({
  method: 'put',
  path: '/api/channel/',
  family: 'newapi',
  access: 'admin',
  tag: 'channels',
  summary: 'Change a channel: key, base URL, status, priority, weight',
  body: updateChannelBody,
  response: channelView,
  async handler({ body, deps }) {
    const channel = await deps.services.channels.update(body.id, toChannelInput(body));
    return toChannelView(channel);
  },
});
