/**
 * Fills the counter cells from the rows a table already holds (MySQL): the migration that
 * introduced the cells runs these once, and bench/listing.ts after its bulk loads, which
 * bypass the services that keep the cells.
 */
export const BACKFILL_COUNTS_SQL = [
  'insert into `task_counts` (`user_id`, `platform`, `action`, `status`, `channel_id`, `total`) select `user_id`, `platform`, `action`, `status`, `channel_id`, count(*) from `tasks` group by `user_id`, `platform`, `action`, `status`, `channel_id`;',
  'insert into `task_counts` (`user_id`, `platform`, `action`, `status`, `channel_id`, `total`) select 0, `platform`, `action`, `status`, `channel_id`, count(*) from `tasks` group by `platform`, `action`, `status`, `channel_id`;',
  'insert into `mj_counts` (`user_id`, `action`, `status`, `channel_id`, `total`) select `user_id`, `action`, `status`, `channel_id`, count(*) from `midjourneys` group by `user_id`, `action`, `status`, `channel_id`;',
  'insert into `mj_counts` (`user_id`, `action`, `status`, `channel_id`, `total`) select 0, `action`, `status`, `channel_id`, count(*) from `midjourneys` group by `action`, `status`, `channel_id`;',
  'insert into `device_task_counts` (`status`, `serial`, `script_name`, `source`, `total`) select `status`, `serial`, `script_name`, `source`, count(*) from `device_tasks` group by `status`, `serial`, `script_name`, `source`;',
];

/** The listings whose single-facet filters keep id blocks (services/listing/blocks.ts), as columns of their tables. */
export const BLOCK_LISTINGS: { table: string; owner?: string; facets: string[] }[] = [
  { table: 'tasks', owner: 'user_id', facets: ['status', 'action', 'platform', 'channel_id'] },
  { table: 'midjourneys', owner: 'user_id', facets: ['channel_id'] },
  { table: 'device_tasks', facets: ['status', 'serial', 'script_name', 'source'] },
];

/** Fills `listing_blocks` from the rows already there: per key (owner or everyone; no facet or one), rows per 1,024 ids. */
export const BACKFILL_BLOCKS_SQL = BLOCK_LISTINGS.flatMap(({ table, owner, facets }) =>
  [...(owner ? [`\`${owner}\``] : []), '0'].flatMap((who) =>
    ['', ...facets].map((facet) => {
      const value = facet ? `cast(\`${facet}\` as char)` : "''";
      const groups = [...(who === '0' ? [] : [who]), ...(facet ? [`\`${facet}\``] : []), '`id` >> 10'].join(', ');
      return (
        'insert into `listing_blocks` (`listing`, `owner`, `facet`, `value`, `block`, `total`) ' +
        `select '${table}', ${who}, '${facet}', ${value}, \`id\` >> 10, count(*) from \`${table}\` group by ${groups};`
      );
    }),
  ),
);
