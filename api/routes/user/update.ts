import { defineRoute } from '../../route';
import { toUserView, updateUserBody, userView } from '../../schemas/user';

export default defineRoute({
  method: 'put',
  path: '/api/user/',
  family: 'newapi',
  access: 'admin',
  tag: 'users',
  summary: 'Update a user: quota (recorded in the ledger as an adjustment), role, status, password, display name',
  body: updateUserBody,
  response: userView,
  async handler({ body, caller, deps }) {
    const user = await deps.services.users.update(caller.user, {
      id: body.id,
      displayName: body.display_name,
      password: body.password,
      quota: body.quota,
      role: body.role,
      status: body.status,
    });
    return toUserView(user);
  },
});
