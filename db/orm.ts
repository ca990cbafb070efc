import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import { NodeSqliteDialect, SqliteDriver, type SqlEntityManager } from '@mikro-orm/sql';
import type { Config } from '../lib/config';
import { ENTITIES } from './entities';
import { MYSQL_MIGRATIONS } from './migrations';

export type Orm = MikroORM;
export type Em = SqlEntityManager;

export interface OrmOptions {
  /** Size of the MySQL pool; SQLite always has a single connection. */
  poolSize?: number;
  debug?: boolean;
}

/**
 * One set of entities on both drivers. MySQL/MariaDB when DATABASE_URL is set,
 * otherwise an embedded SQLite file through node:sqlite (no native addon).
 */
export async function createOrm(database: Config['database'], options: OrmOptions = {}): Promise<Orm> {
  const common = {
    entities: ENTITIES,
    debug: options.debug ?? false,
    // Every unit of work forks explicitly (request, activity); a stray use of the global EM is a bug.
    allowGlobalContext: false,
    extensions: [Migrator],
    migrations: {
      migrationsList: MYSQL_MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  };
  if (database.kind === 'mysql') {
    return MikroORM.init({
      ...common,
      driver: MySqlDriver,
      clientUrl: database.url,
      pool: { min: 0, max: options.poolSize ?? 10 },
      timezone: '+00:00',
    });
  }
  if (database.file !== ':memory:') fs.mkdirSync(path.dirname(database.file), { recursive: true });
  const orm = await MikroORM.init({
    ...common,
    driver: SqliteDriver,
    dbName: database.file,
    driverOptions: new NodeSqliteDialect(database.file),
  });
  const conn = orm.em.getConnection();
  // WAL lets the API read while the worker writes; busy_timeout turns lock contention into waiting.
  await conn.execute('pragma journal_mode = wal');
  await conn.execute('pragma busy_timeout = 5000');
  await conn.execute('pragma synchronous = normal');
  return orm;
}

/**
 * Bring the schema up to date: versioned migrations on MySQL (so production
 * changes are reviewed SQL), generated DDL on the embedded SQLite file.
 */
export async function prepareSchema(orm: Orm): Promise<void> {
  if (orm.config.get('driver') === MySqlDriver) {
    await orm.schema.ensureDatabase({ create: true });
    await orm.migrator.up();
  } else {
    await orm.schema.update();
  }
}
