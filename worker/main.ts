import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { openDatabase } from '../runtime/database';
import { shutdownOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../temporal/connection';
import { startWorker } from './start';

/** Production worker process: scale it out by running more of these against the same cluster. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: 'worker' });
  const address = config.temporal.address ?? 'localhost:7233';
  const { orm, services } = await openDatabase(config, log, false);
  const temporal = await connectTemporal(address, config.temporal.namespace);
  const worker = await startWorker(config, { services, log, temporal, address });
  const stopped = shutdownOnSignals(log, [
    ['worker drained', () => worker.shutdown()],
    ['temporal closed', () => temporal.close()],
    ['database closed', () => orm.close()],
  ]);
  await Promise.race([stopped, worker.done]);
  await stopped;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
