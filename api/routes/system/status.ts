import { z } from 'zod';
import { defineRoute } from '../../route';

export const statusView = z.object({
  system_name: z.string(),
  version: z.string(),
  start_time: z.number().int().describe('when this API process started, unix seconds'),
  quota_per_unit: z.number().int(),
  server_address: z.string(),
  temporal_ui_url: z.string().nullable().describe('base URL of the Temporal Web UI, or null when unknown'),
  temporal_namespace: z.string(),
  events: z.object({ max_seconds: z.number(), heartbeat_seconds: z.number(), max_per_user: z.number().int() }),
});

const startedAt = Math.floor(Date.now() / 1000);

export default defineRoute({
  method: 'get',
  path: '/api/status',
  family: 'newapi',
  access: 'public',
  tag: 'system',
  summary:
    "What a client needs before signing in (new-api's /api/status): names, units, the Temporal UI's address for workflow links, the event streams' bounds",
  response: statusView,
  async handler({ deps }) {
    const { config } = deps;
    return {
      system_name: 'taskhub',
      version: process.env.npm_package_version ?? '0.1.0',
      start_time: startedAt,
      quota_per_unit: config.quotaPerUnit,
      server_address: config.serverAddress,
      temporal_ui_url: config.temporal.uiUrl?.replace(/\/+$/, '') ?? null,
      temporal_namespace: config.temporal.namespace,
      events: { max_seconds: config.events.maxSeconds, heartbeat_seconds: config.events.heartbeatSeconds, max_per_user: config.events.maxPerUser },
    };
  },
});
