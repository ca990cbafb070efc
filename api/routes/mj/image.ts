import type { Context } from 'koa';
import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors';
import { fetchImage, ImageFetchError } from '../../../services/media/image-fetch';
import type { MjImageSource } from '../../../services/midjourney/tasks';
import { authenticate } from '../../auth';
import { mediaFetchError } from '../../media-errors';
import type { AppDeps } from '../../deps';
import { defineRoute } from '../../route';
import { mjTaskParams } from '../../schemas/midjourney';

export default defineRoute({
  method: 'get',
  path: '/mj/image/:id',
  family: 'midjourney',
  access: 'public',
  tag: 'midjourney',
  summary:
    "Streams a task's image from its upstream (what forwarded image_url values point at). Public like new-api's unless MJ_IMAGE_REQUIRE_TOKEN is set; " +
    "bounded in time and size, and never fetched from private addresses other than the channel's own",
  params: mjTaskParams,
  response: z.string().describe('the image bytes'),
  raw: true,
  async handler({ params, deps, ctx }) {
    const task = await deps.services.midjourney.imageSource(params.id);
    if (deps.config.midjourney.imageRequiresToken) await requireOwner(ctx, deps, task);
    if (!task || !task.imageUrl) throw new NotFoundError('no image for this task');

    const client = new AbortController();
    ctx.req.once('close', () => client.abort());
    const image = await fetchImage(task.imageUrl, {
      timeoutMs: deps.config.midjourney.imageTimeoutSeconds * 1000,
      maxBytes: deps.config.midjourney.imageMaxBytes,
      trustedHosts: task.channelBaseUrl ? [new URL(task.channelBaseUrl).host] : [],
      signal: client.signal,
    }).catch((err: unknown) => {
      throw err instanceof ImageFetchError ? mediaFetchError(err, 'image') : err;
    });

    const final = task.status === 'SUCCESS';
    // A finished job's image never changes; a preview does. Owner-only images must stay out of shared caches.
    const scope = deps.config.midjourney.imageRequiresToken ? 'private' : 'public';
    ctx.set('cache-control', final ? `${scope}, max-age=86400, immutable` : 'no-cache');
    if (image.etag) ctx.set('etag', image.etag);
    if (image.lastModified) ctx.set('last-modified', image.lastModified);
    ctx.set('x-content-type-options', 'nosniff');
    if (image.etag && ctx.get('if-none-match') === image.etag) {
      image.body.destroy();
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.type = image.contentType;
    if (image.contentLength !== undefined) ctx.length = image.contentLength;
    ctx.body = image.body;
  },
});

/** With MJ_IMAGE_REQUIRE_TOKEN: the owner's sk- key (Bearer or mj-api-secret) or their dashboard access token. */
async function requireOwner(ctx: Context, deps: AppDeps, task: MjImageSource | null): Promise<void> {
  const caller = await authenticate(ctx, 'relay', deps).catch(() => authenticate(ctx, 'user', deps));
  // Someone else's image reads exactly like a missing one.
  if (!task || caller.user.id !== task.userId) throw new NotFoundError('no image for this task');
}
