import { Migration } from '@mikro-orm/migrations';

/** Users, access tokens, relay keys, channels and the quota ledger. */
export class Migration20261123Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `users` (`id` int unsigned not null auto_increment primary key, `username` varchar(64) not null, `password_hash` varchar(255) not null, `display_name` varchar(64) not null default '', `role` smallint not null default 1, `status` smallint not null default 1, `quota` bigint not null default '0', `used_quota` bigint not null default '0', `request_count` int not null default 0, `access_token_digest` varchar(64) null, `created_time` bigint not null, `updated_time` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `users` add unique `users_username_unique` (`username`);');
    this.addSql('alter table `users` add unique `users_access_token_digest_unique` (`access_token_digest`);');

    this.addSql(
      "create table `tokens` (`id` int unsigned not null auto_increment primary key, `user_id` int not null, `name` varchar(64) not null, `key_digest` varchar(64) not null, `key_hint` varchar(16) not null, `status` smallint not null default 1, `remain_quota` bigint not null default '0', `used_quota` bigint not null default '0', `unlimited_quota` tinyint(1) not null default false, `expired_time` bigint not null default '-1', `created_time` bigint not null, `accessed_time` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `tokens` add index `tokens_user_id_index` (`user_id`);');
    this.addSql('alter table `tokens` add unique `tokens_key_digest_unique` (`key_digest`);');

    this.addSql(
      "create table `channels` (`id` int unsigned not null auto_increment primary key, `type` int not null, `name` varchar(128) not null, `key` text not null, `base_url` varchar(512) not null, `status` smallint not null default 1, `priority` bigint not null default '0', `weight` int not null default 0, `used_quota` bigint not null default '0', `created_time` bigint not null, `updated_time` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `channels` add index `channels_type_status_index` (`type`, `status`);');

    this.addSql(
      "create table `quota_entries` (`id` int unsigned not null auto_increment primary key, `user_id` int not null, `token_id` int null, `kind` varchar(16) not null, `amount` bigint not null, `balance_after` bigint not null, `idem_key` varchar(191) not null, `task_ref` varchar(128) null, `remark` varchar(255) not null default '', `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `quota_entries` add unique `quota_entries_idem_key_unique` (`idem_key`);');
    this.addSql('alter table `quota_entries` add index `quota_entries_task_ref_index` (`task_ref`);');
    this.addSql('alter table `quota_entries` add index `quota_entries_user_id_id_index` (`user_id`, `id`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `quota_entries`;');
    this.addSql('drop table if exists `channels`;');
    this.addSql('drop table if exists `tokens`;');
    this.addSql('drop table if exists `users`;');
  }
}
