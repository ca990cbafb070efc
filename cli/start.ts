import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { connectTemporal } from '../temporal/connection';
import type { DevServer } from '../temporal/dev-server';
import { startWorker } from '../worker/start';
import { startApiServer } from '../runtime/api-server';
import { openDatabase } from '../runtime/database';
import { ensureRootAdmin } from '../runtime/root-admin';
import { shutdownOnSignals } from '../runtime/shutdown';
import { startEmbeddedTemporal, StartRefused } from './embedded-temporal';

/**
 * `npm start`: everything on one machine with nothing configured — the embedded
 * Temporal dev server (unless TEMPORAL_ADDRESS is set), the database (SQLite
 * unless DATABASE_URL is set), a worker and the API. Ctrl-C stops them in
 * reverse order: HTTP drains, the worker finishes its activities, then
 * Temporal and the database close.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: 'all-in-one' });

  let devServer: DevServer | undefined;
  let address = config.temporal.address;
  let uiUrl = config.temporal.uiUrl;
  if (!address) {
    if (!config.temporal.cliPath) throw new ConfigError('TEMPORAL_CLI is not set: run through `npm start`, which finds or builds the Temporal CLI');
    fs.mkdirSync(config.dataDir, { recursive: true });
    devServer = await startEmbeddedTemporal({
      cliPath: config.temporal.cliPath,
      dataDir: config.dataDir,
      port: config.temporal.devPort,
      uiPort: config.temporal.devUiPort,
      namespace: config.temporal.namespace,
      log,
    });
    address = devServer.address;
    uiUrl = devServer.uiUrl;
    log.info({ event: 'temporal.dev_server_started', address, ui: uiUrl }, 'embedded Temporal dev server started');
  }

  const { orm, services } = await openDatabase(config, log, true);
  const root = await ensureRootAdmin(config, services, log);
  const temporal = await connectTemporal(address, config.temporal.namespace);
  const worker = await startWorker(config, { services, log, temporal, address });
  // The dashboard links tasks to the embedded UI when no TEMPORAL_UI_URL names another.
  const api = await startApiServer({ ...config, temporal: { ...config.temporal, uiUrl } }, { orm, services, log, temporal });

  const adminLine = root.token
    ? `${root.token}   (generated now; also saved in ${root.file})`
    : root.file
      ? `cat ${path.relative(process.cwd(), root.file) || root.file}`
      : 'the ADMIN_TOKEN you configured';
  console.log(
    [
      '',
      'taskhub is running',
      `  Dashboard    ${api.url}/`,
      `  API          ${api.url}   (health: ${api.url}/healthz, docs: ${api.url}/openapi.json)`,
      `  Temporal UI  ${uiUrl ?? '(external cluster: see your Temporal UI)'}`,
      `  Temporal     ${address}  namespace ${config.temporal.namespace}`,
      `  Database     ${config.database.kind === 'sqlite' ? config.database.file : 'MySQL (DATABASE_URL)'}`,
      `  Admin token  ${adminLine}`,
      '  Stop with Ctrl-C',
      '',
    ].join('\n'),
  );

  await shutdownOnSignals(log, [
    ['http drained', () => api.close()],
    ['worker drained', () => worker.shutdown()],
    ['temporal client closed', () => temporal.close()],
    ['database closed', () => orm.close()],
    ['temporal dev server stopped', async () => devServer?.stop()],
  ]);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof ConfigError || err instanceof StartRefused ? err.message : err);
    process.exit(1);
  });
}
