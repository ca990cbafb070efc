import { Migration } from '@mikro-orm/migrations';
import { BACKFILL_BLOCKS_SQL, BACKFILL_COUNTS_SQL } from '../queries/backfill-counts';

/**
 * Listings at a million rows: counter cells for every counted filter (task_counts gains
 * action, status and channel; mj_counts and device_task_counts are new), id blocks for deep
 * pages (listing_blocks), all filled from the rows already there, and one index per filter
 * that a page walks without reading rows.
 */
export class Migration20261202ListingCounts extends Migration {
  override async up(): Promise<void> {
    // task_counts held totals per (user, platform) only; its cells are rebuilt from the rows.
    this.addSql('drop table if exists `task_counts`;');
    this.addSql(
      "create table `task_counts` (`user_id` int unsigned not null, `platform` varchar(30) not null, `action` varchar(40) not null, `status` varchar(20) not null, `channel_id` int unsigned not null, `total` bigint not null default '0', primary key (`user_id`, `platform`, `action`, `status`, `channel_id`)) default character set utf8mb4 engine = InnoDB;",
    );

    this.addSql(
      "create table `mj_counts` (`user_id` int unsigned not null, `action` varchar(40) not null, `status` varchar(20) not null, `channel_id` int unsigned not null, `total` bigint not null default '0', primary key (`user_id`, `action`, `status`, `channel_id`)) default character set utf8mb4 engine = InnoDB;",
    );

    this.addSql(
      "create table `device_task_counts` (`status` smallint unsigned not null, `serial` varchar(191) not null, `script_name` varchar(40) not null, `source` varchar(8) not null, `total` bigint not null default '0', primary key (`status`, `serial`, `script_name`, `source`)) default character set utf8mb4 engine = InnoDB;",
    );

    this.addSql(
      'create table `listing_blocks` (`listing` varchar(16) not null, `owner` int unsigned not null, `facet` varchar(16) not null, `value` varchar(191) not null, `block` int unsigned not null, `total` int not null default 0, primary key (`listing`, `owner`, `facet`, `value`, `block`)) default character set utf8mb4 engine = InnoDB;',
    );

    for (const sql of [...BACKFILL_COUNTS_SQL, ...BACKFILL_BLOCKS_SQL]) this.addSql(sql);

    this.addSql('alter table `tasks` add index `tasks_user_id_action_id_index` (`user_id`, `action`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_user_id_platform_id_index` (`user_id`, `platform`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_action_id_index` (`action`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_platform_id_index` (`platform`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_user_id_submit_time_index` (`user_id`, `submit_time`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_serial_id_index` (`serial`, `id`);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `device_tasks` drop index `device_tasks_serial_id_index`;');
    this.addSql('alter table `tasks` drop index `tasks_user_id_submit_time_index`;');
    this.addSql('alter table `tasks` drop index `tasks_platform_id_index`;');
    this.addSql('alter table `tasks` drop index `tasks_action_id_index`;');
    this.addSql('alter table `tasks` drop index `tasks_user_id_platform_id_index`;');
    this.addSql('alter table `tasks` drop index `tasks_user_id_action_id_index`;');
    this.addSql('drop table if exists `listing_blocks`;');
    this.addSql('drop table if exists `device_task_counts`;');
    this.addSql('drop table if exists `mj_counts`;');
    this.addSql('drop table if exists `task_counts`;');
    this.addSql(
      "create table `task_counts` (`user_id` int unsigned not null, `platform` varchar(30) not null, `total` bigint not null default '0', primary key (`user_id`, `platform`)) default character set utf8mb4 engine = InnoDB;",
    );
  }
}
