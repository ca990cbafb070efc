import { defineRoute } from '../../route';
import { toUserView, userView } from '../../schemas/user';

export default defineRoute({
  method: 'get',
  path: '/api/user/self',
  family: 'newapi',
  access: 'user',
  tag: 'users',
  summary: 'The calling user, with current quota',
  response: userView,
  async handler({ caller }) {
    return toUserView(caller.user);
  },
});
