import { defineRoute } from '../../route';
import { loginBody, toUserView, userWithTokenView } from '../../schemas/user';

export default defineRoute({
  method: 'post',
  path: '/api/user/login',
  family: 'newapi',
  access: 'public',
  tag: 'users',
  summary: 'Exchange username and password for a fresh access token (the previous one is revoked)',
  body: loginBody,
  response: userWithTokenView,
  async handler({ body, deps }) {
    const { user, accessToken } = await deps.services.users.login(body.username, body.password);
    return { ...toUserView(user), access_token: accessToken };
  },
});
