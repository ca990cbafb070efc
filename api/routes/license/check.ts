import { requireApiPlan } from '../../../services/license';
import { defineRoute } from '../../route';
import { licenseView } from '../../schemas/device';

export default defineRoute({
  method: 'get',
  path: '/api/v1/license/check',
  family: 'tikmatrix',
  access: 'local',
  tag: 'device tasks',
  summary: 'Whether the licence plan (LICENSE_PLAN) allows API access; Starter answers 40301',
  response: licenseView,
  async handler({ deps }) {
    const license = requireApiPlan(deps.config);
    return { plan_name: license.planName, api_enabled: license.apiEnabled, device_limit: license.deviceLimit, message: 'API access enabled' };
  },
});
