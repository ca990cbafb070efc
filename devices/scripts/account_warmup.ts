import { z } from 'zod';
import { dropNulls, flag, int, jobIndex, num, order, percent, splitLines, text } from '../config/fields';
import { chatgptSettingsSchema, generateComment } from './chatgpt';
import { defineScript, type ScriptContext } from './define';
import { commentFromTemplates, pick, withEmoji } from './shared';

export const accountWarmupSchema = z.preprocess(
  dropNulls,
  z
    .object({
      task_duration: int(1, 24 * 3600).default(600),
      topic: text().default(''),
      min_duration: num(0, 3600).default(15),
      max_duration: num(0, 3600).default(30),
      like_probable: percent().default(0),
      // sic: TikMatrix's spelling, kept for wire compatibility
      floow_probable: percent().default(0),
      collect_probable: percent().default(0),
      comment_probable: percent().default(0),
      comment: text().default(''),
      insert_emoji: flag().default(false),
      comment_order: order(),
      generate_by_chatgpt: flag().default(false),
      chatgpt_settings: chatgptSettingsSchema,
      job_index: jobIndex(),
    })
    .superRefine((value, ctx) => {
      if (value.min_duration > value.max_duration) {
        ctx.addIssue({ code: 'custom', path: ['min_duration'], message: `must not exceed max_duration (${value.max_duration})` });
      }
      if (value.generate_by_chatgpt && value.chatgpt_settings.api_key.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['chatgpt_settings', 'api_key'], message: 'is required when generate_by_chatgpt is true' });
      }
      if (value.comment_probable > 0 && !value.generate_by_chatgpt && splitLines(value.comment).length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['comment'],
          message: 'needs at least one comment template when comment_probable > 0 (or set generate_by_chatgpt)',
        });
      }
    }),
);

export type AccountWarmupConfig = z.infer<typeof accountWarmupSchema>;

interface WarmupStats {
  videos: number;
  likes: number;
  follows: number;
  collects: number;
  comments: number;
  skippedComments: string[];
}

/**
 * Watches the feed (or a topic's search results) until `task_duration` is spent, with
 * like/follow/collect/comment by probability. Every wait is a session `pause`, which wakes
 * at once on stop and keeps the Appium session alive, and every video ends with a swipe,
 * so a stop lands within a command or two whatever the durations.
 */
export const accountWarmupScript = defineScript<AccountWarmupConfig>({
  name: 'account_warmup',
  schema: accountWarmupSchema,
  async run(ctx, config) {
    const { session, ui, random } = ctx;
    const started = ctx.now();
    const deadline = started + config.task_duration * 1000;
    const stats: WarmupStats = { videos: 0, likes: 0, follows: 0, collects: 0, comments: 0, skippedComments: [] };
    const roll = (percent: number) => percent > 0 && random() * 100 < percent;

    const topic = pick(splitLines(config.topic), 'random', 0, random);
    if (topic) {
      await session.tap(ui.nav.searchButton);
      await session.type(ui.search.input, topic);
      await session.tap(ui.search.submit);
      await session.tap(ui.search.videosTab);
      await session.tap(ui.search.firstVideo);
    } else {
      await session.tap(ui.nav.homeTab);
    }

    while (ctx.now() < deadline) {
      await session.waitFor(ui.feed.videoPlayer);
      const watchSeconds = config.min_duration + random() * (config.max_duration - config.min_duration);
      await session.pause(Math.min(watchSeconds * 1000, deadline - ctx.now()), `watch video ${stats.videos + 1}`);
      stats.videos += 1;
      if (ctx.now() >= deadline) break;

      if (roll(config.like_probable)) {
        await session.tap(ui.feed.likeButton);
        stats.likes += 1;
      }
      if (roll(config.floow_probable) && (await session.exists(ui.feed.followCreator))) {
        await session.tap(ui.feed.followCreator);
        stats.follows += 1;
      }
      if (roll(config.collect_probable)) {
        await session.tap(ui.feed.favoriteButton);
        stats.collects += 1;
      }
      if (roll(config.comment_probable)) await commentOnVideo(ctx, config, stats);
      await session.swipe('up');
    }

    const seconds = Math.round((ctx.now() - started) / 1000);
    const parts = [
      `warm-up ran ${seconds}s${topic ? ` on topic "${topic}"` : ''}`,
      `watched ${stats.videos} videos`,
      `liked ${stats.likes}, followed ${stats.follows}, collected ${stats.collects}, commented ${stats.comments}`,
    ];
    if (stats.skippedComments.length > 0) parts.push(`skipped ${stats.skippedComments.length} comments (${stats.skippedComments[0]})`);
    return { remark: parts.join('; ') };
  },
});

async function commentOnVideo(ctx: ScriptContext, config: AccountWarmupConfig, stats: WarmupStats): Promise<void> {
  const { session, ui, random } = ctx;
  const index = config.job_index + stats.comments;
  let comment: string | undefined;
  if (config.generate_by_chatgpt) {
    const caption = (await session.exists(ui.feed.caption)) ? await session.text(ui.feed.caption) : undefined;
    try {
      const generated = await generateComment(config.chatgpt_settings, caption, ctx.signal);
      comment = config.insert_emoji ? withEmoji(generated, random) : generated;
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      // the templates are the fallback when the model is unreachable
      comment = commentFromTemplates({ templates: config.comment, order: config.comment_order, insertEmoji: config.insert_emoji }, index, random);
      if (comment === undefined) stats.skippedComments.push(`ChatGPT: ${(err as Error).message}`);
    }
  } else {
    comment = commentFromTemplates({ templates: config.comment, order: config.comment_order, insertEmoji: config.insert_emoji }, index, random);
  }
  if (comment === undefined) return;
  await session.tap(ui.feed.commentButton);
  await session.type(ui.comments.input, comment);
  await session.tap(ui.comments.send);
  await session.tap(ui.comments.close);
  stats.comments += 1;
}
