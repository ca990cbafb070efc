import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em } from '../../db/orm';
import { BLOCK_COLUMNS, BLOCKS_TABLE, blockIncrements, type BlockIndex } from './blocks';

/**
 * A listing's counter table: one row per owner and combination of facet values (a
 * "cell"), kept in the same transaction as every write that adds a row or moves it
 * between cells. A filtered total over facets is then a sum over at most a few hundred
 * cells instead of a COUNT(*) over a million rows.
 */
export interface CounterTable<Row> {
  table: string;
  /** Column of the owning user; its cells are kept twice, for the owner and for owner 0 (everyone). */
  owner?: { column: string; of(row: Row): number };
  /** Facet column → its value in a row. */
  facets: Record<string, (row: Row) => string | number>;
  /** Which single-facet filters keep id blocks for deep pages. */
  blocks?: BlockIndex<Row>;
}

export type CellValues = Record<string, string | number>;

/** The cell a row is counted in, owner included (absent for tables without owners). */
export function cellOf<Row>(table: CounterTable<Row>, row: Row): CellValues {
  const cell: CellValues = {};
  if (table.owner) cell[table.owner.column] = table.owner.of(row);
  for (const [column, of] of Object.entries(table.facets)) cell[column] = of(row);
  return cell;
}

/**
 * Adds `delta` to the cell of each given row (and to the owner-0 copy of it), in one upsert,
 * and to the row's id blocks when the table keeps them (services/listing/blocks.ts).
 */
export async function adjustCounts<Row extends { id: number }>(em: Em, table: CounterTable<Row>, changes: { row: Row; delta: number }[]): Promise<void> {
  const columns = [...(table.owner ? [table.owner.column] : []), ...Object.keys(table.facets)];
  const cells: Increment[] = [];
  for (const { row, delta } of changes) {
    const cell = cellOf(table, row);
    const values = columns.map((c) => cell[c]);
    cells.push({ values, delta });
    if (table.owner) cells.push({ values: [0, ...values.slice(1)], delta });
  }
  await addTo(em, table.table, columns, cells);
  if (table.blocks)
    await addTo(
      em,
      BLOCKS_TABLE,
      BLOCK_COLUMNS,
      changes.flatMap(({ row, delta }) => blockIncrements(table.blocks!, row, delta)),
    );
}

export interface Increment {
  values: (string | number)[];
  delta: number;
}

/**
 * Adds each increment's delta to the row its `values` key (the primary key `columns`), in one
 * upsert. Increments are netted first (a move within one key is no write at all) and sorted, so
 * concurrent writers lock counter rows in the same order and cannot deadlock on them.
 */
export async function addTo(em: Em, table: string, columns: string[], increments: Increment[]): Promise<void> {
  const net = new Map<string, Increment>();
  for (const { values, delta } of increments) {
    const key = JSON.stringify(values);
    const entry = net.get(key) ?? { values, delta: 0 };
    entry.delta += delta;
    net.set(key, entry);
  }
  const rows = [...net.entries()].filter(([, e]) => e.delta !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) return;
  const tuple = `(${columns.map(() => '?').join(', ')}, ?)`;
  const insert = `insert into ${q(table)} (${columns.map(q).join(', ')}, ${q('total')}) values ${rows.map(() => tuple).join(', ')}`;
  const params = rows.flatMap(([, e]) => [...e.values, e.delta]);
  const upsert =
    em.getDriver() instanceof MySqlDriver
      ? `${insert} on duplicate key update ${q('total')} = ${q('total')} + values(${q('total')})`
      : `${insert} on conflict (${columns.map(q).join(', ')}) do update set ${q('total')} = ${q('total')} + excluded.${q('total')}`;
  await em.execute(upsert, params, 'run');
}

/** The sum (`n`) of the cells matching `where` (facet column → value; the owner column too, 0 for everyone). */
export function sumCountsSql(table: string, where: CellValues): { sql: string; params: (string | number)[] } {
  const keys = Object.keys(where);
  const sql = `select coalesce(sum(${q('total')}), 0) as n from ${q(table)}${keys.length ? ` where ${keys.map((k) => `${q(k)} = ?`).join(' and ')}` : ''}`;
  return { sql, params: keys.map((k) => where[k]) };
}

/** Sums of the cells matching `where`, per value of `by`. */
export async function sumCountsBy(em: Em, table: string, by: string, where: CellValues): Promise<Map<string | number, number>> {
  const keys = Object.keys(where);
  const sql =
    `select ${q(by)} as k, sum(${q('total')}) as n from ${q(table)}` +
    `${keys.length ? ` where ${keys.map((k) => `${q(k)} = ?`).join(' and ')}` : ''} group by ${q(by)}`;
  const rows = await em.execute<{ k: string | number; n: number | string }[]>(
    sql,
    keys.map((k) => where[k]),
    'all',
  );
  return new Map(rows.map((r) => [r.k, Number(r.n)]));
}

/** Backtick quoting works on both drivers (SQLite accepts MySQL's quotes). */
export const q = (name: string) => `\`${name}\``;
