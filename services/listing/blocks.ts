import type { Increment } from './counts';

/**
 * Id blocks: how many rows of one listing key (owner, and at most one facet = value) have an
 * id in each block of 2^BLOCK_BITS ids, kept in the same transaction as the counter cells. A
 * deep page then finds the block its offset falls in from these counts (a few hundred small
 * rows at a million) and walks at most one block of its index, instead of every skipped entry.
 */
export const BLOCK_BITS = 10;
export const BLOCKS_TABLE = 'listing_blocks';
export const BLOCK_COLUMNS = ['listing', 'owner', 'facet', 'value', 'block'];

export interface BlockIndex<Row> {
  /** The listing's name in `listing_blocks` (its table name). */
  listing: string;
  /** The facets (column → value in a row) whose single-facet filters get blocks; '' (no facet) always does. */
  facets: Record<string, (row: Row) => string | number>;
  owner?: (row: Row) => number;
}

/** The block keys a row counts in: no facet and each facet, for its owner and for owner 0. */
export function blockIncrements<Row extends { id: number }>(index: BlockIndex<Row>, row: Row, delta: number): Increment[] {
  const block = Math.floor(row.id / 2 ** BLOCK_BITS);
  const owners = index.owner ? [index.owner(row), 0] : [0];
  const facets: [string, string][] = [['', ''], ...Object.entries(index.facets).map(([f, of]): [string, string] => [f, String(of(row))])];
  return owners.flatMap((owner) => facets.map(([facet, value]) => ({ values: [index.listing, owner, facet, value, block], delta })));
}
