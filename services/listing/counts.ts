import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em } from '../../db/orm';

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
 * Adds `delta` to each given cell (and to the owner-0 copy of it), in one upsert.
 * Cells are netted first (a move within one cell is no write at all) and sorted, so
 * concurrent writers lock counter rows in the same order and cannot deadlock on them.
 */
export async function adjustCounts<Row>(em: Em, table: CounterTable<Row>, changes: { cell: CellValues; delta: number }[]): Promise<void> {
  const columns = [...(table.owner ? [table.owner.column] : []), ...Object.keys(table.facets)];
  const net = new Map<string, { values: (string | number)[]; delta: number }>();
  const add = (values: (string | number)[], delta: number) => {
    const key = JSON.stringify(values);
    const entry = net.get(key) ?? { values, delta: 0 };
    entry.delta += delta;
    net.set(key, entry);
  };
  for (const { cell, delta } of changes) {
    const values = columns.map((c) => cell[c]);
    add(values, delta);
    if (table.owner) add([0, ...values.slice(1)], delta);
  }
  const cells = [...net.entries()].filter(([, e]) => e.delta !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (cells.length === 0) return;
  const tuple = `(${columns.map(() => '?').join(', ')}, ?)`;
  const insert = `insert into ${q(table.table)} (${columns.map(q).join(', ')}, ${q('total')}) values ${cells.map(() => tuple).join(', ')}`;
  const params = cells.flatMap(([, e]) => [...e.values, e.delta]);
  const upsert =
    em.getDriver() instanceof MySqlDriver
      ? `${insert} on duplicate key update ${q('total')} = ${q('total')} + values(${q('total')})`
      : `${insert} on conflict (${columns.map(q).join(', ')}) do update set ${q('total')} = ${q('total')} + excluded.${q('total')}`;
  await em.execute(upsert, params, 'run');
}

/** Sum of the cells matching `where` (facet column → value; the owner column too, 0 for everyone). */
export async function sumCounts(em: Em, table: string, where: CellValues): Promise<number> {
  const keys = Object.keys(where);
  const sql = `select coalesce(sum(${q('total')}), 0) as n from ${q(table)}${keys.length ? ` where ${keys.map((k) => `${q(k)} = ?`).join(' and ')}` : ''}`;
  const rows = await em.execute<{ n: number | string }[]>(
    sql,
    keys.map((k) => where[k]),
    'all',
  );
  return Number(rows[0]?.n ?? 0);
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
