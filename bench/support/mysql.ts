import mysql from 'mysql2/promise';
import { createOrm, prepareSchema, type Orm } from '../../db/orm';
import type { Cleanup } from './run';

/**
 * Drops what an aborted run left of database `name` (the one `url` points at), then creates and
 * migrates it. Besides the app's ORM it opens a direct mysql2 pool of `connections`, the baseline
 * the app is compared with. Cleanup ends the pool, then drops the database, which at a million
 * rows takes gigabytes of disk.
 */
export async function freshDatabase(url: string, name: string, connections: number, cleanup: Cleanup): Promise<{ orm: Orm; pool: mysql.Pool }> {
  await dropDatabase(await createOrm({ kind: 'mysql', url }), name);
  const orm = await createOrm({ kind: 'mysql', url });
  await prepareSchema(orm);
  cleanup.push(() => dropDatabase(orm, name));
  const pool = mysql.createPool({ uri: url, connectionLimit: connections, supportBigNumbers: true });
  cleanup.push(() => pool.end());
  return { orm, pool };
}

/** Drops the database and closes `orm`, whose connection is unusable afterwards. */
async function dropDatabase(orm: Orm, name: string): Promise<void> {
  await orm.em.getConnection().execute(`drop database if exists \`${name}\``);
  await orm.close(true);
}

/** The first column of the first row as a number, for counts and sums whose driver type varies with their size. */
export async function scalar(pool: mysql.Pool, sql: string, values: unknown[], timeoutMs: number): Promise<number> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql, values, rowsAsArray: true, timeout: timeoutMs });
  return Number(rows[0][0]);
}

export async function describeDatabase(pool: mysql.Pool): Promise<string> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>('select version() as v, @@innodb_buffer_pool_size as bp');
  const mib = Math.round(Number(rows[0].bp) / 2 ** 20);
  return `MariaDB ${String(rows[0].v).split('-')[0]} on 127.0.0.1 (InnoDB buffer pool ${mib} MiB)`;
}

/** The index MariaDB picks and its notes, e.g. `index_merge on a,b (Using intersect(...); Using filesort), ~232141 rows`. */
export async function describePlan(pool: mysql.Pool, sql: string, values: unknown[], timeoutMs: number): Promise<string> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>({ sql: `explain ${sql}`, values, timeout: timeoutMs });
  return rows.map((r) => `${r.type} on ${r.key} (${r.Extra}), ~${r.rows} rows`).join('; ');
}
