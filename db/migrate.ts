import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createOrm, prepareSchema } from './orm';

/** One-shot schema step for production (docker-compose's taskhub-migrate service). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, { role: 'migrate' });
  const orm = await createOrm(config.database);
  try {
    await prepareSchema(orm);
    log.info({ event: 'schema.ready', database: config.database.kind }, 'schema is up to date');
  } finally {
    await orm.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
