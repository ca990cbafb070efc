import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em } from '../../db/orm';
import { q, sumCounts, type CellValues } from './counts';

/** A listing's table as its pages read it. */
export interface ListingTable<T> {
  table: string;
  /** Columns a page selects, and how a row becomes an item. */
  columns: string[];
  map(row: Record<string, unknown>): T;
  /** Indexes ending in `id` that walk a filter newest first (equality columns, then id). */
  walks: string[][];
  /** Index for time ranges (equality columns, then the time column), named on MySQL. */
  ranges?: string[][];
  /** Columns whose equality finds at most one row through their own unique index: no hint then. */
  unique?: string[];
  /** The counter table whose cells cover `counted` columns exactly. */
  counts?: { table: string; counted: string[]; owner?: string };
}

export interface ListingFilter {
  /** Column → value, all of them must match. */
  equals: CellValues;
  /** `column BETWEEN gte AND lte`, either end optional. */
  range?: { column: string; gte?: number; lte?: number };
}

/** Totals outside the counters are counted exactly up to this many rows past the requested page. */
export const COUNT_HORIZON = 10_000;

/**
 * One page of a listing, newest first, and its total:
 * - the page: a first page reads its rows straight off the index that walks the filter;
 *   a deeper page walks the offset on that index alone (id is in every InnoDB and SQLite
 *   index, so the walk reads no row), then joins only the page's ids back to their rows;
 * - the total: a sum over counter cells when every filter is a counted facet, otherwise
 *   a count bounded at COUNT_HORIZON rows past the page (a lower bound beyond it).
 */
export async function readPage<T>(
  em: Em,
  listing: ListingTable<T>,
  filter: ListingFilter,
  offset: number,
  limit: number,
): Promise<{ items: T[]; total: number }> {
  const mysql = em.getDriver() instanceof MySqlDriver;
  const where = whereOf(filter);
  const hint = mysql ? hintFor(listing, filter) : '';
  const from = `${q(listing.table)}${hint}`;
  const cols = listing.columns.map((c) => `t.${q(c)}`).join(', ');
  const ids = `select ${q('id')} from ${from}${where.sql} order by ${q('id')} desc limit ? offset ?`;
  const pageSql =
    offset === 0
      ? `select ${cols} from ${q(listing.table)} as t${hint}${whereOf(filter, 't.').sql} order by t.${q('id')} desc limit ?`
      : `select ${cols} from (${ids}) as x join ${q(listing.table)} as t on t.${q('id')} = x.${q('id')} order by t.${q('id')} desc`;
  const pageParams = offset === 0 ? [...where.params, limit] : [...where.params, limit, offset];
  const [rows, total] = await Promise.all([
    em.execute<Record<string, unknown>[]>(pageSql, pageParams, 'all'),
    totalOf(em, listing, filter, from, where, offset + limit),
  ]);
  return { items: rows.map((r) => listing.map(r)), total };
}

async function totalOf<T>(em: Em, listing: ListingTable<T>, filter: ListingFilter, from: string, where: Where, pageEnd: number): Promise<number> {
  const counts = listing.counts;
  if (counts && !filter.range && Object.keys(filter.equals).every((c) => counts.counted.includes(c) || c === counts.owner)) {
    const cell: CellValues = { ...filter.equals };
    if (counts.owner && cell[counts.owner] === undefined) cell[counts.owner] = 0;
    return sumCounts(em, counts.table, cell);
  }
  const horizon = pageEnd + COUNT_HORIZON;
  const rows = await em.execute<{ n: number | string }[]>(
    `select count(*) as n from (select ${q('id')} from ${from}${where.sql} limit ?) as x`,
    [...where.params, horizon],
    'all',
  );
  return Number(rows[0]?.n ?? 0);
}

interface Where {
  sql: string;
  params: (string | number)[];
}

function whereOf(filter: ListingFilter, prefix = ''): Where {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [column, value] of Object.entries(filter.equals)) {
    parts.push(`${prefix}${q(column)} = ?`);
    params.push(value);
  }
  const r = filter.range;
  if (r?.gte !== undefined) {
    parts.push(`${prefix}${q(r.column)} >= ?`);
    params.push(r.gte);
  }
  if (r?.lte !== undefined) {
    parts.push(`${prefix}${q(r.column)} <= ?`);
    params.push(r.lte);
  }
  return { sql: parts.length ? ` where ${parts.join(' and ')}` : '', params };
}

/**
 * MariaDB's optimizer, left alone, intersects single-column indexes and sorts every match
 * (status filter), or walks the primary key backwards past most of the table (time ranges),
 * each seconds at a million rows. Name the index that already has the order instead: the
 * walk whose equality columns the filter fixes best, or for a time range the range index.
 */
function hintFor<T>(listing: ListingTable<T>, filter: ListingFilter): string {
  const fixed = Object.keys(filter.equals);
  if (fixed.some((c) => listing.unique?.includes(c))) return '';
  const fits = (cols: string[], tail: number) => cols.slice(0, cols.length - tail).every((c) => fixed.includes(c));
  const best = (candidates: string[][], tail: number) => candidates.filter((cols) => fits(cols, tail)).sort((a, b) => b.length - a.length)[0];
  const chosen =
    filter.range && listing.ranges
      ? best(
          listing.ranges.filter((cols) => cols.at(-1) === filter.range!.column),
          1,
        )
      : best(listing.walks, 1);
  return chosen && chosen.length > 1 ? ` use index (${indexName(listing.table, chosen)})` : '';
}

/** MikroORM's default index name. */
export const indexName = (table: string, columns: string[]) => `${table}_${columns.join('_')}_index`;
