import { z } from 'zod';
import { startMidjourneySimulator } from './index';

const env = z.object({
  MJ_SIM_PORT: z.coerce.number().int().min(0).max(65535).default(18082),
  MJ_SIM_SECRET: z.string().min(1).optional(),
  MJ_SIM_STEP_MS: z.coerce.number().min(0).optional(),
  MJ_SIM_IMAGE_BYTES: z.coerce.number().int().min(1).optional(),
});

async function main(): Promise<void> {
  const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ''));
  const e = env.parse(cleaned);
  const sim = await startMidjourneySimulator({
    port: e.MJ_SIM_PORT,
    secret: e.MJ_SIM_SECRET,
    stepMs: e.MJ_SIM_STEP_MS,
    imageBytes: e.MJ_SIM_IMAGE_BYTES,
  });
  process.stdout.write(`midjourney-proxy simulator listening on ${sim.url} (mj-api-secret: ${sim.secret}; control API: ${sim.url}/__sim)\n`);
  const shutdown = (): void => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

// Importing this module (e.g. from a test) must not open a port.
if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
