import { z } from 'zod';
import { defineRoute } from '../../route';
import { serialBody } from '../../schemas/device';

export default defineRoute({
  method: 'delete',
  path: '/api/v1/device',
  family: 'tikmatrix',
  access: 'local',
  tag: 'devices',
  summary: 'Unregister a phone (refused while it has pending or running tasks)',
  body: serialBody,
  response: z.object({ serial: z.string() }),
  async handler({ body, deps }) {
    await deps.services.devices.remove(body.serial);
    return { serial: body.serial };
  },
});
