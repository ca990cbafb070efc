import type { Logger } from '../lib/logger';

/** Runs shutdown steps in order, once, logging each; a failing step does not skip the rest. */
export function shutdownOnSignals(log: Logger, steps: [string, () => Promise<unknown>][]): Promise<void> {
  let started: Promise<void> | undefined;
  const run = (signal: string) => {
    started ??= (async () => {
      log.info({ event: 'shutdown.start', signal }, 'shutting down');
      for (const [name, step] of steps) {
        try {
          await step();
          log.info({ event: 'shutdown.step', step: name }, `${name}: done`);
        } catch (err) {
          log.error({ event: 'shutdown.step_failed', step: name, err }, `${name}: failed`);
        }
      }
      log.info({ event: 'shutdown.done' }, 'stopped');
    })();
    return started;
  };
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void run(signal).then(resolve));
  });
}
