import { defineRoute } from '../../route';
import { toTokenView, tokenView, updateTokenBody } from '../../schemas/token';

export default defineRoute({
  method: 'put',
  path: '/api/token/',
  family: 'newapi',
  access: 'user',
  tag: 'tokens',
  summary: 'Rename, re-cap, expire, enable or disable one of the caller’s keys',
  body: updateTokenBody,
  response: tokenView,
  async handler({ body, caller, deps }) {
    const token = await deps.services.tokens.update(caller.user.id, {
      id: body.id,
      name: body.name,
      remainQuota: body.remain_quota,
      unlimitedQuota: body.unlimited_quota,
      expiredTime: body.expired_time,
      status: body.status,
    });
    return toTokenView(token);
  },
});
