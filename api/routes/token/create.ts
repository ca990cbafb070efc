import { defineRoute } from '../../route';
import { createTokenBody, toTokenView, tokenView } from '../../schemas/token';

export default defineRoute({
  method: 'post',
  path: '/api/token/',
  family: 'newapi',
  access: 'user',
  tag: 'tokens',
  summary: 'Create an sk- relay key; the full key is in this reply only',
  body: createTokenBody,
  response: tokenView,
  async handler({ body, caller, deps }) {
    const { token, key } = await deps.services.tokens.create(caller.user.id, {
      name: body.name,
      remainQuota: body.remain_quota,
      unlimitedQuota: body.unlimited_quota,
      expiredTime: body.expired_time,
    });
    return toTokenView(token, key);
  },
});
