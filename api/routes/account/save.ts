import { defineRoute } from '../../route';
import { accountView, saveAccountBody, toAccountView } from '../../schemas/device';

export default defineRoute({
  method: 'post',
  path: '/api/v1/account',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: 'Add an account bound to a registered phone, or update it (device, package for clone apps, enabled)',
  body: saveAccountBody,
  response: accountView,
  async handler({ body, deps }) {
    const { account } = await deps.services.accounts.save(body);
    return toAccountView(account, deps.config.devices.timeZone);
  },
});
