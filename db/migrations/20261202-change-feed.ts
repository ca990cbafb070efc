import { Migration } from '@mikro-orm/migrations';

/**
 * `updated_at` indexes for the change feed behind GET /api/events (each API process reads the rows
 * that moved since its last look), and `created_at` ones for the dashboard's spend-per-day chart.
 */
export class Migration20261202ChangeFeed extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `tasks` add index `tasks_updated_at_index` (`updated_at`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_updated_at_index` (`updated_at`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_updated_at_index` (`updated_at`);');
    this.addSql('alter table `quota_entries` add index `quota_entries_user_id_created_at_index` (`user_id`, `created_at`);');
    this.addSql('alter table `quota_entries` add index `quota_entries_created_at_index` (`created_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `tasks` drop index `tasks_updated_at_index`;');
    this.addSql('alter table `midjourneys` drop index `midjourneys_updated_at_index`;');
    this.addSql('alter table `device_tasks` drop index `device_tasks_updated_at_index`;');
    this.addSql('alter table `quota_entries` drop index `quota_entries_user_id_created_at_index`;');
    this.addSql('alter table `quota_entries` drop index `quota_entries_created_at_index`;');
  }
}
