import { startSunoSimulator } from './index';

/**
 * Manual-demo entry point. Reads SUNO_SIM_PORT (default 18081), SUNO_SIM_SECRET
 * and SUNO_SIM_STEP_MS, prints where it listens, and stops cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const port = Number(process.env.SUNO_SIM_PORT || 18081);
  const stepMs = process.env.SUNO_SIM_STEP_MS ? Number(process.env.SUNO_SIM_STEP_MS) : undefined;
  const sim = await startSunoSimulator({ port, stepMs, secret: process.env.SUNO_SIM_SECRET });
  console.log(`suno simulator listening on ${sim.url}`);
  console.log(`secret: ${sim.secret === '' ? '(auth disabled)' : sim.secret}`);
  console.log(`control: ${sim.url}/__sim/stats, /__sim/faults, /__sim/down, /__sim/config, /__sim/tasks`);
  const shutdown = (): void => {
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
