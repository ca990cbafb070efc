import { licenseOf } from '../../../services/license';
import { defineRoute } from '../../route';
import { deviceView, saveDeviceBody, toDeviceView } from '../../schemas/device';

export default defineRoute({
  method: 'post',
  path: '/api/v1/device',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: "Register a phone by its adb serial, or update the one registered; a new phone counts against the plan's device_limit (40301 beyond it)",
  body: saveDeviceBody,
  response: deviceView,
  async handler({ body, deps }) {
    const { device } = await deps.services.devices.save(body, licenseOf(deps.config).deviceLimit);
    return toDeviceView(device, deps.config.devices.timeZone);
  },
});
