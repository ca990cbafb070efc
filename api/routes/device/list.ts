import { z } from 'zod';
import { pageRequest } from '../../../services/paging';
import { defineRoute } from '../../route';
import { deviceView, listDevicesQuery, toDeviceView } from '../../schemas/device';

export default defineRoute({
  method: 'get',
  path: '/api/v1/device',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: 'Registered phones, optionally only enabled (or disabled) ones',
  query: listDevicesQuery,
  response: z.object({ devices: z.array(deviceView), total: z.number().int(), page: z.number().int(), page_size: z.number().int() }),
  async handler({ query, deps }) {
    const page = await deps.services.devices.list({ enabled: query.enabled }, pageRequest(query.page, query.page_size));
    const zone = deps.config.devices.timeZone;
    return { devices: page.items.map((d) => toDeviceView(d, zone)), total: page.total, page: page.page, page_size: page.pageSize };
  },
});
