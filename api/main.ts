import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { startApiServer } from '../runtime/api-server';
import { openDatabase } from '../runtime/database';
import { ensureRootAdmin } from '../runtime/root-admin';
import { shutdownOnSignals } from '../runtime/shutdown';
import { connectTemporal } from '../temporal/connection';

/** Production API process: stateless, so run as many as the load needs behind a balancer. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: 'api' });
  const { orm, services } = await openDatabase(config, log, config.database.kind === 'sqlite');
  const root = await ensureRootAdmin(config, services, log);
  if (root.token) console.log(`Root admin access token (shown once): ${root.token}`);
  const temporal = await connectTemporal(config.temporal.address ?? 'localhost:7233', config.temporal.namespace);
  const api = await startApiServer(config, { orm, services, log, temporal });
  log.info({ event: 'api.listening', url: api.url }, `API listening on ${api.url}`);
  await shutdownOnSignals(log, [
    ['http drained', () => api.close()],
    ['temporal closed', () => temporal.close()],
    ['database closed', () => orm.close()],
  ]);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
