import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * How many rows of one listing key fall in each block of 1,024 ids (services/listing/blocks.ts):
 * `listing` is the table, `owner` the user (0: everyone), `facet` and `value` one filter ('' and
 * '' for none). Kept in the transaction of every insert, status change and delete, like the
 * counter cells, so a deep page can skip whole blocks instead of walking every skipped row.
 */
export const ListingBlock = defineEntity({
  name: 'ListingBlock',
  tableName: 'listing_blocks',
  properties: {
    listing: p.string().length(16).primary(),
    owner: p.integer().primary(),
    facet: p.string().length(16).primary(),
    value: p.string().length(191).primary(),
    block: p.integer().primary(),
    total: p.integer().default(0),
  },
});

export type IListingBlock = InferEntity<typeof ListingBlock>;
