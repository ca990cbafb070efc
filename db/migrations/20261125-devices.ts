import { Migration } from '@mikro-orm/migrations';

/** Phones, the accounts logged in on them, and device tasks (TikMatrix's task API). */
export class Migration20261125Devices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `devices` (`id` int unsigned not null auto_increment primary key, `serial` varchar(191) not null, `name` varchar(128) not null default '', `capabilities` json null, `enabled` tinyint(1) not null default true, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `devices` add unique `devices_serial_unique` (`serial`);');

    this.addSql(
      "create table `device_accounts` (`id` int unsigned not null auto_increment primary key, `username` varchar(191) not null, `device` varchar(191) not null, `package` varchar(191) not null default 'com.zhiliaoapp.musically', `enabled` tinyint(1) not null default true, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `device_accounts` add unique `device_accounts_username_unique` (`username`);');
    this.addSql('alter table `device_accounts` add index `device_accounts_device_id_index` (`device`, `id`);');

    this.addSql(
      "create table `device_tasks` (`id` int unsigned not null auto_increment primary key, `serial` varchar(191) not null, `username` varchar(191) null, `script_name` varchar(40) not null, `script_config` json not null, `status` smallint not null default 0, `remark` text not null default (''), `source` varchar(8) not null default 'api', `retry_count` int not null default 0, `min_interval_seconds` int not null default 0, `max_interval_seconds` int not null default 0, `run_at` bigint null, `started_at` bigint null, `ended_at` bigint null, `workflow_id` varchar(64) not null, `dispatched_at` bigint null, `seq` int not null default 0, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `device_tasks` add index `device_tasks_status_id_index` (`status`, `id`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_serial_status_id_index` (`serial`, `status`, `id`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_script_name_id_index` (`script_name`, `id`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_source_id_index` (`source`, `id`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_username_status_index` (`username`, `status`);');
    this.addSql('alter table `device_tasks` add index `device_tasks_status_dispatched_at_index` (`status`, `dispatched_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `device_tasks`;');
    this.addSql('drop table if exists `device_accounts`;');
    this.addSql('drop table if exists `devices`;');
  }
}
