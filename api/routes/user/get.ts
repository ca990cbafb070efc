import { defineRoute } from '../../route';
import { idParams } from '../../schemas/common';
import { toUserView, userView } from '../../schemas/user';

export default defineRoute({
  method: 'get',
  path: '/api/user/:id',
  family: 'newapi',
  access: 'admin',
  tag: 'users',
  summary: 'One user by id',
  params: idParams,
  response: userView,
  async handler({ params, deps }) {
    return toUserView(await deps.services.users.get(params.id));
  },
});
