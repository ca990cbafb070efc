import { Migration } from '@mikro-orm/migrations';

/** Midjourney task projection (new-api's `midjourneys`). */
export class Migration20261124Midjourney extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `midjourneys` (`id` int unsigned not null auto_increment primary key, `mj_id` varchar(32) not null, `upstream_task_id` varchar(191) null, `code` int not null default 0, `user_id` int not null, `token_id` int null, `channel_id` int not null default 0, `action` varchar(40) not null, `parent_mj_id` varchar(32) null, `prompt` text not null default (''), `prompt_en` text not null default (''), `description` text not null default (''), `state` text not null default (''), `submit_time` bigint not null default '0', `start_time` bigint not null default '0', `finish_time` bigint not null default '0', `image_url` text not null default (''), `video_url` text not null default (''), `video_urls` json null, `status` varchar(20) not null, `progress` varchar(20) not null default '0%', `fail_reason` text not null default (''), `quota` bigint not null default '0', `buttons` json null, `properties` json null, `request` json not null, `idempotency_key` varchar(191) null, `polled_at` bigint not null default '0', `seq` int not null default 0, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `midjourneys` add unique `midjourneys_mj_id_unique` (`mj_id`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_user_id_id_index` (`user_id`, `id`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_channel_id_id_index` (`channel_id`, `id`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_user_id_submit_time_index` (`user_id`, `submit_time`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_submit_time_index` (`submit_time`);');
    this.addSql('alter table `midjourneys` add index `midjourneys_status_channel_id_index` (`status`, `channel_id`);');
    this.addSql('alter table `midjourneys` add unique `midjourneys_user_id_idempotency_key_unique` (`user_id`, `idempotency_key`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `midjourneys`;');
  }
}
