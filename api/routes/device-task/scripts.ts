import { z } from 'zod';
import { SCRIPT_NAMES, scriptConfigJsonSchemas } from '../../../devices';
import { defineRoute } from '../../route';

const scriptsView = z.object({
  scripts: z.array(z.object({ name: z.enum(SCRIPT_NAMES), config_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of script_config') })),
});

// Derived once: the schemas are fixed for the life of the process.
let cached: z.infer<typeof scriptsView> | undefined;

export default defineRoute({
  method: 'get',
  path: '/api/v1/script',
  family: 'tikmatrix',
  access: 'local',
  tag: 'device tasks',
  summary:
    'The scripts POST /api/v1/task runs, each with the JSON Schema of its script_config, generated from the zod schemas that validate it (ours; TikMatrix has no such route)',
  response: scriptsView,
  async handler() {
    cached ??= {
      scripts: Object.entries(scriptConfigJsonSchemas()).map(([name, schema]) => ({ name: name as (typeof SCRIPT_NAMES)[number], config_schema: schema })),
    };
    return cached;
  },
});
