import { defineRoute } from '../../route';
import { createUserBody, toUserView, userWithTokenView } from '../../schemas/user';

export default defineRoute({
  method: 'post',
  path: '/api/user/',
  family: 'newapi',
  access: 'admin',
  tag: 'users',
  summary: 'Create a user; the reply carries its access token, shown this once',
  body: createUserBody,
  response: userWithTokenView,
  async handler({ body, caller, deps }) {
    const { user, accessToken } = await deps.services.users.create(caller.user, {
      username: body.username,
      password: body.password,
      displayName: body.display_name,
      quota: body.quota,
      role: body.role,
    });
    return { ...toUserView(user), access_token: accessToken };
  },
});
