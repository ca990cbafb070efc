import { Migration } from '@mikro-orm/migrations';

/**
 * Listings at a million rows: counter cells for every counted filter (task_counts gains
 * action, status and channel; mj_counts and device_task_counts are new), filled from the rows
 * already there, and one index per filter that a deep page walks without reading rows.
 */
export class Migration20261202ListingCounts extends Migration {
  override async up(): Promise<void> {
    // task_counts held totals per (user, platform) only; its cells are rebuilt from the rows.
    this.addSql('drop table if exists `task_counts`;');
    this.addSql(
      "create table `task_counts` (`user_id` int unsigned not null, `platform` varchar(30) not null, `action` varchar(40) not null, `status` varchar(20) not null, `channel_id` int unsigned not null, `total` bigint not null default '0', primary key (`user_id`, `platform`, `action`, `status`, `channel_id`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'insert into `task_counts` (`user_id`, `platform`, `action`, `status`, `channel_id`, `total`) select `user_id`, `platform`, `action`, `status`, `channel_id`, count(*) from `tasks` group by `user_id`, `platform`, `action`, `status`, `channel_id`;',
    );
    this.addSql(
      'insert into `task_counts` (`user_id`, `platform`, `action`, `status`, `channel_id`, `total`) select 0, `platform`, `action`, `status`, `channel_id`, count(*) from `tasks` group by `platform`, `action`, `status`, `channel_id`;',
    );

    this.addSql(
      "create table `mj_counts` (`user_id` int unsigned not null, `action` varchar(40) not null, `status` varchar(20) not null, `channel_id` int unsigned not null, `total` bigint not null default '0', primary key (`user_id`, `action`, `status`, `channel_id`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'insert into `mj_counts` (`user_id`, `action`, `status`, `channel_id`, `total`) select `user_id`, `action`, `status`, `channel_id`, count(*) from `midjourneys` group by `user_id`, `action`, `status`, `channel_id`;',
    );
    this.addSql(
      'insert into `mj_counts` (`user_id`, `action`, `status`, `channel_id`, `total`) select 0, `action`, `status`, `channel_id`, count(*) from `midjourneys` group by `action`, `status`, `channel_id`;',
    );

    this.addSql(
      "create table `device_task_counts` (`status` smallint unsigned not null, `serial` varchar(191) not null, `script_name` varchar(40) not null, `source` varchar(8) not null, `total` bigint not null default '0', primary key (`status`, `serial`, `script_name`, `source`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'insert into `device_task_counts` (`status`, `serial`, `script_name`, `source`, `total`) select `status`, `serial`, `script_name`, `source`, count(*) from `device_tasks` group by `status`, `serial`, `script_name`, `source`;',
    );

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
    this.addSql('drop table if exists `device_task_counts`;');
    this.addSql('drop table if exists `mj_counts`;');
    this.addSql('drop table if exists `task_counts`;');
    this.addSql(
      "create table `task_counts` (`user_id` int unsigned not null, `platform` varchar(30) not null, `total` bigint not null default '0', primary key (`user_id`, `platform`)) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'insert into `task_counts` (`user_id`, `platform`, `total`) select `user_id`, `platform`, count(*) from `tasks` group by `user_id`, `platform` union all select 0, `platform`, count(*) from `tasks` group by `platform`;',
    );
  }
}
