import path from 'node:path';
import { z } from 'zod';
import { dropNulls, flag, jobIndex, order, splitLines, text } from '../config/fields';
import { resolveTargetPosts, targetPostsShape } from '../config/targets';
import { DeviceScriptError } from '../contract';
import { DEVICE_MEDIA_DIR } from '../selectors/tiktok';
import { defineScript } from './define';
import { resolveLocalFile } from './media';
import { commentFromTemplates, describeList } from './shared';

export const commentSchema = z.preprocess(
  dropNulls,
  z
    .object({
      ...targetPostsShape,
      comment_content: text(),
      comment_order: order(),
      insert_emoji: flag().default(false),
      comment_image_path: text(4096).default(''),
      job_index: jobIndex(),
    })
    .transform((value, ctx) => {
      if (splitLines(value.comment_content).length === 0) {
        ctx.addIssue({ code: 'custom', path: ['comment_content'], message: 'must hold at least one comment (one per line)' });
      }
      const target_post_urls = resolveTargetPosts(value, ctx);
      if (!target_post_urls) return z.NEVER;
      return {
        target_post_urls,
        comment_content: value.comment_content,
        comment_order: value.comment_order,
        insert_emoji: value.insert_emoji,
        comment_image_path: value.comment_image_path.trim(),
        job_index: value.job_index,
      };
    }),
);

export type CommentConfig = z.infer<typeof commentSchema>;

export const commentScript = defineScript<CommentConfig>({
  name: 'comment',
  schema: commentSchema,
  // job_index advances per post so a `sequential` order cycles across the fanned-out tasks
  fanOut: (config) => config.target_post_urls.map((url, i) => ({ ...config, target_post_urls: [url], job_index: config.job_index + i })),
  async run(ctx, config) {
    const { session, ui } = ctx;
    const image = config.comment_image_path ? resolveLocalFile(ctx.uploadDir, config.comment_image_path, 'comment_image_path') : undefined;
    const outcomes: string[] = [];
    for (const [i, url] of config.target_post_urls.entries()) {
      const comment = commentFromTemplates(
        { templates: config.comment_content, order: config.comment_order, insertEmoji: config.insert_emoji },
        config.job_index + i,
        ctx.random,
      );
      if (comment === undefined) throw new DeviceScriptError('invalid_config', 'comment_content: no comment to post');

      await session.openUrl(url, 'post');
      await session.tap(ui.feed.commentButton);
      await session.waitFor(ui.comments.input);
      if (image) {
        await session.pushFile(image, `${DEVICE_MEDIA_DIR}/${path.basename(image)}`);
        await session.tap(ui.comments.imageButton);
        await session.tap(ui.gallery.firstItem);
        await session.tap(ui.gallery.confirmButton);
      }
      await session.type(ui.comments.input, comment);
      await session.tap(ui.comments.send);
      // closes the keyboard and the comment sheet, back on the video for the next URL
      await session.back();
      outcomes.push(`commented on ${url}: "${comment}"${image ? ' with image' : ''}`);
    }
    return { remark: describeList(outcomes) };
  },
});
