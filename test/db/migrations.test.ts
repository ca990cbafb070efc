import fs from 'node:fs';
import path from 'node:path';
import { ENTITIES } from '../../db/entities';
import { MYSQL_MIGRATIONS } from '../../db/migrations';
import { prepareSchema } from '../../db/orm';
import { createTestDatabase, type TestDatabase } from '../support/databases';

describe('MySQL migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mysql');
  });
  afterAll(() => db?.destroy());

  // MikroORM's comparator reports cosmetic differences on MariaDB (`default '0'` vs `0`), so
  // the check is on the DDL itself: every statement the entities generate is in a migration.
  test('contain every statement the entities generate for MySQL', async () => {
    const generated = (await db.orm.schema.getCreateSchemaSQL({ wrap: false }))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const migrations = fs
      .readdirSync(path.join(__dirname, '../../db/migrations'))
      .filter((f) => f !== 'index.ts')
      .map((f) => fs.readFileSync(path.join(__dirname, '../../db/migrations', f), 'utf8'))
      .join('\n');
    expect(generated.length).toBeGreaterThan(10);
    expect(generated.filter((stmt) => !migrations.includes(stmt))).toEqual([]);
  });

  test('create every table on a fresh MariaDB database, are recorded once and are a no-op when run again', async () => {
    await prepareSchema(db.orm);
    const tables = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ t: string }[]>('select table_name as t from information_schema.tables where table_schema = database() order by 1');
    const entityTables = ENTITIES.map((e) => e.meta.tableName);
    expect(tables.map((r: { t: string }) => r.t).sort()).toEqual([...entityTables, 'mikro_orm_migrations'].sort());
    expect((await db.orm.migrator.getExecuted()).map((m) => m.name)).toEqual(MYSQL_MIGRATIONS.map((m) => m.name));
    expect(await db.orm.migrator.getPending()).toEqual([]);
  });
});

describe('embedded SQLite schema', () => {
  test('is brought up to date from the entities at start, and a second start changes nothing', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      await prepareSchema(db.orm);
      expect((await db.orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    } finally {
      await db.destroy();
    }
  });
});
