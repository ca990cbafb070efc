import { defineRoute } from '../../route';
import { idParams } from '../../schemas/common';
import { toTokenView, tokenView } from '../../schemas/token';

export default defineRoute({
  method: 'get',
  path: '/api/token/:id',
  family: 'newapi',
  access: 'user',
  tag: 'tokens',
  summary: 'One of the caller’s relay keys (masked)',
  params: idParams,
  response: tokenView,
  async handler({ params, caller, deps }) {
    return toTokenView(await deps.services.tokens.get(caller.user.id, params.id));
  },
});
