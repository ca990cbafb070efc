import { createOrm, prepareSchema, type Orm } from '../db/orm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createServices, type Services } from '../services';

/** The pieces every taskhub process shares: one ORM and the services over it. */
export async function openDatabase(config: Config, log: Logger, migrate: boolean): Promise<{ orm: Orm; services: Services }> {
  const orm = await createOrm(config.database);
  if (migrate) await prepareSchema(orm);
  log.info({ event: 'database.ready', database: config.database.kind }, 'database connected');
  return { orm, services: createServices(orm) };
}
