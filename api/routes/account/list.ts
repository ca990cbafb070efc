import { z } from 'zod';
import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { accountView, listAccountsQuery, toAccountView } from '../../schemas/device';

export default defineRoute({
  method: 'get',
  path: '/api/v1/account',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: 'Accounts and the phone each is logged in on, optionally of one device',
  query: listAccountsQuery,
  response: z.object({ accounts: z.array(accountView), total: z.number().int(), page: z.number().int(), page_size: z.number().int() }),
  async handler({ query, deps }) {
    const page = await deps.services.accounts.list({ device: query.device, enabled: query.enabled }, pageRequest(query.page, query.page_size));
    const zone = deps.config.devices.timeZone;
    return { accounts: page.items.map((a) => toAccountView(a, zone)), total: page.total, page: page.page, page_size: page.pageSize };
  },
});
