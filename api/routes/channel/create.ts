import { defineRoute } from '../../route';
import { channelView, createChannelBody, toChannelInput, toChannelView } from '../../schemas/channel';

export default defineRoute({
  method: 'post',
  path: '/api/channel/',
  family: 'newapi',
  access: 'admin',
  tag: 'channels',
  summary: 'Add an upstream channel: type 36 Suno API, 2 Midjourney proxy, 5 Midjourney Plus',
  body: createChannelBody,
  response: channelView,
  async handler({ body, deps }) {
    const channel = await deps.services.channels.create(toChannelInput(body));
    return toChannelView(channel);
  },
});
