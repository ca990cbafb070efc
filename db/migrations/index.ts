import { Migration20261123Initial } from './20261123-initial';
import { Migration20261123Tasks } from './20261123-tasks';
import { Migration20261124Midjourney } from './20261124-midjourney';
import { Migration20261125Devices } from './20261125-devices';
import { Migration20261202ChangeFeed } from './20261202-change-feed';
import { Migration20261202ListingCounts } from './20261202-listing-counts';

/**
 * MySQL migrations in the order they apply. Listed explicitly rather than
 * discovered by glob so they run the same from dist/, ts sources and Jest.
 */
export const MYSQL_MIGRATIONS = [
  { name: 'Migration20261123Initial', class: Migration20261123Initial },
  { name: 'Migration20261123Tasks', class: Migration20261123Tasks },
  { name: 'Migration20261124Midjourney', class: Migration20261124Midjourney },
  { name: 'Migration20261125Devices', class: Migration20261125Devices },
  { name: 'Migration20261202ChangeFeed', class: Migration20261202ChangeFeed },
  { name: 'Migration20261202ListingCounts', class: Migration20261202ListingCounts },
];
