import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em } from '../../db/orm';
import { BLOCK_BITS, BLOCKS_TABLE } from './blocks';
import { q, sumCountsSql, type CellValues } from './counts';

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
  /** The id blocks kept for this listing: its owner column and the facet columns with blocks. */
  blocks?: { owner?: string; facets: string[] };
}

export interface ListingFilter {
  /** Column → value, all of them must match. */
  equals: CellValues;
  /** `column BETWEEN gte AND lte`, either end optional. */
  range?: { column: string; gte?: number; lte?: number };
}

/** Totals outside the counters are counted exactly up to this many rows past the requested page. */
export const COUNT_HORIZON = 10_000;

/** Below this offset a page simply walks its index; from here on it first finds its id block. */
export const BLOCK_WALK_FROM = 2 * 2 ** BLOCK_BITS;

/**
 * One page of a listing, newest first, and its total:
 * - the page: a first page reads its rows straight off the index that walks the filter;
 *   a deeper page walks the offset on that index alone (id is in every InnoDB and SQLite
 *   index, so the walk reads no row), then joins only the page's ids back to their rows.
 *   A deep page of a key with id blocks (no filter, or one counted facet) first finds the
 *   block its offset falls in and walks only from there (services/listing/blocks.ts);
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
  const plan = planPage(em, listing, filter, offset, limit);
  const run = <R>(s: Statement) => em.execute<R[]>(s.sql, s.params, 'all');
  const located = plan.locate ? ((await run<Located>(plan.locate))[0] ?? null) : undefined;
  const rows = await run<Record<string, unknown>>(plan.page(located));
  // The total rides along with the rows; only an empty page needs asking for it.
  const total = rows.length ? rows[0][TOTAL] : (await run<{ n: number | string }>(plan.total))[0]?.n;
  return { items: rows.map((r) => listing.map(r)), total: Number(total ?? 0) };
}

/** The column the page's total comes back in, beside every row. */
const TOTAL = '__total';

export interface Statement {
  sql: string;
  params: (string | number)[];
}

/** What the block lookup answers: the newest block holding the offset, and how many rows are in newer blocks. */
export interface Located {
  block: number | string;
  before: number | string;
}

export interface PagePlan {
  /** Sent first when the page uses id blocks; its answer (or null: past the end) goes to page(). */
  locate?: Statement;
  /** The page's rows, each carrying the total (one round trip, one pooled connection). */
  page(located?: Located | null): Statement;
  /** The total alone, as `n`: for an empty page. */
  total: Statement;
}

/** The statements of a page: optionally the block lookup, then its rows with the total. */
export function planPage<T>(em: Em, listing: ListingTable<T>, filter: ListingFilter, offset: number, limit: number): PagePlan {
  const mysql = em.getDriver() instanceof MySqlDriver;
  const where = whereOf(filter);
  const hint = mysql ? hintFor(listing, filter) : '';
  const from = `${q(listing.table)}${hint}`;
  const total = totalOf(listing, filter, from, where, offset + limit);
  // An uncorrelated scalar subquery: both databases evaluate it once per statement.
  const cols = `${listing.columns.map((c) => `t.${q(c)}`).join(', ')}, (${total.sql}) as ${q(TOTAL)}`;
  if (offset === 0) {
    const sql = `select ${cols} from ${q(listing.table)} as t${hint}${whereOf(filter, 't.').sql} order by t.${q('id')} desc limit ?`;
    return { page: () => ({ sql, params: [...total.params, ...where.params, limit] }), total };
  }
  const deep = (bounded: boolean) =>
    `select ${cols} from (select ${q('id')} from ${from}${where.sql}${bounded ? `${where.sql ? ' and' : ' where'} ${q('id')} < ?` : ''} ` +
    `order by ${q('id')} desc limit ? offset ?) as x join ${q(listing.table)} as t on t.${q('id')} = x.${q('id')} order by t.${q('id')} desc`;
  const key = offset >= BLOCK_WALK_FROM ? blockKey(listing, filter) : undefined;
  if (!key) return { page: () => ({ sql: deep(false), params: [...total.params, ...where.params, limit, offset] }), total };
  return {
    locate: locateSql(key, offset),
    // Past the last row: an empty page (id < 0 matches nothing).
    page: (found) => ({
      sql: deep(true),
      params: [
        ...total.params,
        ...where.params,
        ...(found ? [(Number(found.block) + 1) * 2 ** BLOCK_BITS, limit, offset - Number(found.before)] : [0, limit, 0]),
      ],
    }),
    total,
  };
}

/** The id-block key of a filter, when it has one: no filter but the owner, or one facet the blocks keep. */
function blockKey<T>(listing: ListingTable<T>, filter: ListingFilter): { listing: string; owner: number; facet: string; value: string } | undefined {
  const blocks = listing.blocks;
  if (!blocks || filter.range) return undefined;
  const owner = blocks.owner ? filter.equals[blocks.owner] : undefined;
  const rest = Object.keys(filter.equals).filter((c) => c !== blocks.owner);
  if (rest.length > 1 || (rest.length === 1 && !blocks.facets.includes(rest[0]))) return undefined;
  return { listing: listing.table, owner: Number(owner ?? 0), facet: rest[0] ?? '', value: rest.length ? String(filter.equals[rest[0]]) : '' };
}

function locateSql(key: { listing: string; owner: number; facet: string; value: string }, offset: number): Statement {
  const sql =
    `select ${q('block')}, ${q('before')} from (select ${q('block')}, ${q('total')}, ` +
    `sum(${q('total')}) over (order by ${q('block')} desc) - ${q('total')} as ${q('before')} from ${q(BLOCKS_TABLE)} ` +
    `where ${q('listing')} = ? and ${q('owner')} = ? and ${q('facet')} = ? and ${q('value')} = ?) as b ` +
    `where ${q('before')} + ${q('total')} > ? order by ${q('block')} desc limit 1`;
  return { sql, params: [key.listing, key.owner, key.facet, key.value, offset] };
}

function totalOf<T>(listing: ListingTable<T>, filter: ListingFilter, from: string, where: Where, pageEnd: number): Statement {
  const counts = listing.counts;
  if (counts && !filter.range && Object.keys(filter.equals).every((c) => counts.counted.includes(c) || c === counts.owner)) {
    const cell: CellValues = { ...filter.equals };
    if (counts.owner && cell[counts.owner] === undefined) cell[counts.owner] = 0;
    return sumCountsSql(counts.table, cell);
  }
  return { sql: `select count(*) as n from (select ${q('id')} from ${from}${where.sql} limit ?) as x`, params: [...where.params, pageEnd + COUNT_HORIZON] };
}

type Where = Statement;

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
