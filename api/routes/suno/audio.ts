import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors';
import { AUDIO_MEDIA, fetchImage, ImageFetchError } from '../../../services/media/image-fetch';
import { mediaFetchError } from '../../media-errors';
import { defineRoute } from '../../route';

const params = z.object({ task_id: z.string().min(1).max(64), clip_id: z.string().min(1).max(128) });

/** A finished music task's `data` is the upstream's clip list (new-api stores it as it came). */
function clipAudioUrl(data: unknown, clipId: string): string | undefined {
  const clips = Array.isArray(data) ? data : [];
  const clip = clips.find((c): c is { id: string; audio_url?: unknown } => typeof c === 'object' && c !== null && (c as { id?: unknown }).id === clipId);
  return typeof clip?.audio_url === 'string' && clip.audio_url ? clip.audio_url : undefined;
}

export default defineRoute({
  method: 'get',
  path: '/suno/audio/:task_id/:clip_id',
  family: 'suno',
  access: 'public',
  tag: 'suno',
  summary:
    "Streams one clip's audio from its upstream, so a page served by taskhub plays it from taskhub's own origin (ours; new-api links the upstream's URL). Public like /mj/image/:id: task ids are unguessable. The same guard as the image proxy: bounded in time and size, audio types only, no private addresses other than the channel's own",
  params,
  response: z.string().describe('the audio bytes'),
  raw: true,
  contentType: 'audio/mpeg',
  async handler({ params, deps, ctx }) {
    const task = await deps.services.tasks.byTaskId(params.task_id);
    const url = task ? clipAudioUrl(task.data, params.clip_id) : undefined;
    if (!task || !url) throw new NotFoundError('no audio for this clip');
    const channel = await deps.services.channels.get(task.channelId).catch(() => null);
    const client = new AbortController();
    ctx.req.once('close', () => client.abort());
    const audio = await fetchImage(url, {
      timeoutMs: deps.config.midjourney.imageTimeoutSeconds * 1000,
      maxBytes: deps.config.midjourney.imageMaxBytes,
      trustedHosts: channel ? [new URL(channel.baseUrl).host] : [],
      signal: client.signal,
      media: AUDIO_MEDIA,
    }).catch((err: unknown) => {
      throw err instanceof ImageFetchError ? mediaFetchError(err, 'audio') : err;
    });
    ctx.set('cache-control', task.status === 'SUCCESS' ? 'public, max-age=86400, immutable' : 'no-cache');
    ctx.set('x-content-type-options', 'nosniff');
    if (audio.etag) ctx.set('etag', audio.etag);
    ctx.status = 200;
    ctx.type = audio.contentType;
    if (audio.contentLength !== undefined) ctx.length = audio.contentLength;
    ctx.body = audio.body;
  },
});
