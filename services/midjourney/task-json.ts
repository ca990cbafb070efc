import type { IMjTask } from '../../db/entities';

/**
 * Midjourney tasks as new-api renders them (its `MidjourneyDto` for `/mj/task/*` and
 * notifyHook, its raw `midjourneys` row for the drawing log). Field names, order,
 * `null` versus empty and units follow new-api's serialisers, because real clients
 * branch on them: `videoUrls: []` makes a client draw an empty video grid where
 * `null` makes it show the image, and `buttons: null` is how a client knows to offer
 * its own U/V buttons.
 */

/** How image URLs leave the API: through our proxy when forwarding is on (new-api's MjForwardUrlEnabled). */
export interface ImageUrlPolicy {
  forward: boolean;
  serverAddress: string;
}

/** Nanoseconds since the epoch, like the Go `time.Now().UnixNano()` new-api appends. */
function nowNanos(): string {
  return (BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n)).toString();
}

/** The forwarded image URL; `?rand=` on an unfinished task's, since its preview changes under one URL. */
export function imageUrlOf(t: Pick<IMjTask, 'mjId' | 'imageUrl' | 'status'>, policy: ImageUrlPolicy, bustCache = false): string {
  if (!t.imageUrl || !policy.forward) return t.imageUrl;
  const url = `${policy.serverAddress}/mj/image/${t.mjId}`;
  return bustCache && t.status !== 'SUCCESS' ? `${url}?rand=${nowNanos()}` : url;
}

export interface MjButtonJson {
  customId: string;
  emoji: string;
  label: string;
  type: number;
  style: number;
}

/** new-api's MidjourneyDto, in its field order. */
export interface MjTaskJson {
  id: string;
  action: string;
  customId: string;
  botType: string;
  prompt: string;
  promptEn: string;
  description: string;
  state: string;
  submitTime: number;
  startTime: number;
  finishTime: number;
  imageUrl: string;
  videoUrl: string;
  videoUrls: { url: string }[] | null;
  status: string;
  progress: string;
  failReason: string;
  buttons: MjButtonJson[] | null;
  maskBase64: string;
  properties: { finalPrompt: string; finalZhPrompt: string } | null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `properties` holds only these two, as strings, once the upstream has sent any; null before. */
function finalPrompts(props: Record<string, unknown> | null | undefined): MjTaskJson['properties'] {
  return props ? { finalPrompt: text(props.finalPrompt), finalZhPrompt: text(props.finalZhPrompt) } : null;
}

const videoUrlsOf = (t: Pick<IMjTask, 'videoUrls'>) => (t.videoUrls && t.videoUrls.length ? t.videoUrls.map((v) => ({ url: v.url })) : null);

export function toMjTaskJson(t: IMjTask, policy: ImageUrlPolicy): MjTaskJson {
  return {
    id: t.mjId,
    action: t.action,
    // new-api never fills these three in its task JSON; clients read them as "".
    customId: '',
    botType: '',
    prompt: t.prompt,
    promptEn: t.promptEn,
    description: t.description,
    state: t.state,
    submitTime: t.submitTime,
    startTime: t.startTime,
    finishTime: t.finishTime,
    imageUrl: imageUrlOf(t, policy, true),
    videoUrl: t.videoUrl,
    videoUrls: videoUrlsOf(t),
    status: t.status,
    progress: t.progress,
    failReason: t.failReason,
    // What the upstream sent, [] included; null when it sent none.
    buttons: t.buttons ? t.buttons.map((b) => ({ customId: b.customId, emoji: b.emoji, label: b.label, type: b.type, style: b.style })) : null,
    maskBase64: '',
    properties: finalPrompts(t.properties),
  };
}

/** new-api's `midjourneys` row as its drawing log returns it (JSON columns as strings, "" when empty). */
export interface MjLogRow {
  id: number;
  code: number;
  user_id: number;
  action: string;
  mj_id: string;
  prompt: string;
  prompt_en: string;
  description: string;
  state: string;
  submit_time: number;
  start_time: number;
  finish_time: number;
  image_url: string;
  video_url: string;
  video_urls: string;
  status: string;
  progress: string;
  fail_reason: string;
  channel_id: number;
  quota: number;
  buttons: string;
  properties: string;
}

type LoggedTask = Omit<IMjTask, 'request'>;

/**
 * One drawing-log row. `showChannel` is false on a user's own log: the field stays (the
 * same shape for every client) but says 0, as new-api's own task log does for users.
 */
export function toMjLogRow(t: LoggedTask, policy: ImageUrlPolicy, showChannel: boolean): MjLogRow {
  const urls = videoUrlsOf(t);
  const props = finalPrompts(t.properties);
  return {
    id: t.id,
    code: t.code,
    user_id: t.userId,
    action: t.action,
    mj_id: t.mjId,
    prompt: t.prompt,
    prompt_en: t.promptEn,
    description: t.description,
    state: t.state,
    submit_time: t.submitTime,
    start_time: t.startTime,
    finish_time: t.finishTime,
    image_url: imageUrlOf(t, policy),
    video_url: t.videoUrl,
    video_urls: urls ? JSON.stringify(urls) : '',
    status: t.status,
    progress: t.progress,
    fail_reason: t.failReason,
    channel_id: showChannel ? t.channelId : 0,
    quota: t.quota,
    buttons: t.buttons ? JSON.stringify(t.buttons.map((b) => ({ customId: b.customId, emoji: b.emoji, label: b.label, type: b.type, style: b.style }))) : '',
    properties: props ? JSON.stringify(props) : '',
  };
}
