import { Migration } from '@mikro-orm/migrations';

/** Generation task projection (new-api's `tasks`) and its per-user counters. */
export class Migration20261123Tasks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `tasks` (`id` int unsigned not null auto_increment primary key, `task_id` varchar(64) not null, `platform` varchar(30) not null, `user_id` int not null, `token_id` int null, `channel_id` int not null default 0, `quota` bigint not null default '0', `action` varchar(40) not null, `status` varchar(20) not null, `fail_reason` text not null default (''), `submit_time` bigint not null default '0', `start_time` bigint not null default '0', `finish_time` bigint not null default '0', `progress` varchar(20) not null default '0%', `properties` json not null, `data` json null, `upstream_task_id` varchar(191) null, `idempotency_key` varchar(191) null, `polled_at` bigint not null default '0', `seq` int not null default 0, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `tasks` add unique `tasks_task_id_unique` (`task_id`);');
    this.addSql('alter table `tasks` add index `tasks_user_id_id_index` (`user_id`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_user_id_status_id_index` (`user_id`, `status`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_channel_id_id_index` (`channel_id`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_status_id_index` (`status`, `id`);');
    this.addSql('alter table `tasks` add index `tasks_submit_time_index` (`submit_time`);');
    this.addSql('alter table `tasks` add index `tasks_platform_channel_id_status_index` (`platform`, `channel_id`, `status`);');
    this.addSql('alter table `tasks` add unique `tasks_user_id_idempotency_key_unique` (`user_id`, `idempotency_key`);');
    this.addSql(
      "create table `task_counts` (`user_id` int unsigned not null, `platform` varchar(30) not null, `total` bigint not null default '0', primary key (`user_id`, `platform`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `task_counts`;');
    this.addSql('drop table if exists `tasks`;');
  }
}
