import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createOrm, prepareSchema, type Orm } from '../../db/orm';

export type DbKind = 'sqlite' | 'mysql';

/** Persistence suites run once per driver: `describe.each(DB_KINDS)`. */
export const DB_KINDS: DbKind[] = ['sqlite', 'mysql'];

const MYSQL_BASE = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  orm: Orm;
  kind: DbKind;
  /** What `loadConfig` would produce for this database. */
  config: { kind: 'mysql'; url: string } | { kind: 'sqlite'; file: string };
  destroy(): Promise<void>;
}

/**
 * A fresh, fully migrated database of its own: a temp SQLite file (a real file,
 * so WAL and locking behave as in production) or a MariaDB database named for
 * this suite, dropped afterwards.
 */
export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-test-'));
    const config = { kind: 'sqlite' as const, file: path.join(dir, 'taskhub.sqlite') };
    const orm = await createOrm(config);
    await prepareSchema(orm);
    return {
      orm,
      kind,
      config,
      async destroy() {
        await orm.close(true);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `taskhub_test_${tag}`;
  const config = { kind: 'mysql' as const, url: `${MYSQL_BASE}/${name}` };
  const orm = await createOrm(config, { poolSize: 20 });
  await prepareSchema(orm);
  return {
    orm,
    kind,
    config,
    async destroy() {
      await orm.em.getConnection().execute(`drop database if exists \`${name}\``);
      await orm.close(true);
    },
  };
}
