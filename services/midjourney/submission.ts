import type { IMjTask } from '../../db/entities';
import { ValidationError } from '../../lib/errors';
import { actionOfCustomId, parseSimpleChange } from './custom-id';
import type { MjTasks } from './tasks';

/** The `/mj/submit/<route>` routes of midjourney-proxy (and its plus forks) that taskhub relays, as new-api does. */
export const MJ_SUBMIT_ROUTES = [
  'imagine',
  'change',
  'simple-change',
  'describe',
  'blend',
  'action',
  'modal',
  'shorten',
  'edits',
  'video',
  'upload-discord-images',
] as const;
/** …plus InsightFace's face swap, served at `/mj/insight-face/swap`. */
export type MjSubmitRoute = (typeof MJ_SUBMIT_ROUTES)[number] | 'swap-face';

/** midjourney-proxy's request fields; clients (new-api among them) send empty values for the unused ones. */
export interface MjSubmitBody {
  prompt?: string | null;
  notifyHook?: string | null;
  customId?: string | null;
  botType?: string | null;
  action?: string | null;
  index?: number | null;
  state?: string | null;
  taskId?: string | null;
  base64?: string | null;
  base64Array?: string[] | null;
  content?: string | null;
  maskBase64?: string | null;
  dimensions?: string | null;
  /** edits and video: the source image, as base64 (or a data URL) or an http(s) URL. */
  image?: string | null;
  /** video: `low` or `high` motion, and whether it loops. */
  motion?: string | null;
  loop?: boolean | null;
  /** insight-face/swap. */
  sourceBase64?: string | null;
  targetBase64?: string | null;
}

export interface MjPlan {
  action: string;
  /** new-api's model name for the price: `mj_<action>`. */
  model: string;
  prompt: string;
  parent: IMjTask | null;
  /** What goes upstream; the parent's id is already the upstream's. */
  request: { route: string; body: Record<string, unknown> };
}

export interface PlanContext {
  userId: number;
  tasks: Pick<MjTasks, 'byMjId'>;
  base64MaxBytes: number;
}

const invalid = (field: string, message: string) => new ValidationError(message, { details: [{ field, message }] });

/**
 * Checks a submit request the way midjourney-proxy would, resolves the parent
 * of a child action (same user, finished — except modal), and builds the
 * upstream request. Anything wrong is a code-4 refusal before money moves.
 */
export async function planSubmission(route: MjSubmitRoute, body: MjSubmitBody, ctx: PlanContext): Promise<MjPlan> {
  const text = (v: string | null | undefined) => (typeof v === 'string' ? v.trim() : '');
  const common = { ...(text(body.botType) ? { botType: text(body.botType) } : {}), ...(text(body.state) ? { state: text(body.state) } : {}) };
  const plan = (action: string, prompt: string, upstreamRoute: string, forwarded: Record<string, unknown>, parent: IMjTask | null = null): MjPlan => ({
    action,
    // new-api's model names: mj_<action>, except the face swap's.
    model: action === 'SWAP_FACE' ? 'swap_face' : `mj_${action.toLowerCase()}`,
    prompt,
    parent,
    request: { route: upstreamRoute, body: { ...common, ...forwarded } },
  });
  const images = (field: string, list: string[] | null | undefined, min: number, max: number) => {
    const items = (list ?? []).filter((s) => typeof s === 'string' && s.length > 0);
    if (items.length < min || items.length > max)
      throw invalid(field, min === max ? `${field} needs exactly ${min} image(s)` : `${field} needs ${min} to ${max} images, got ${items.length}`);
    items.forEach((item, i) => checkBase64(`${field}[${i}]`, item, ctx.base64MaxBytes));
    return items;
  };

  switch (route) {
    case 'imagine': {
      const prompt = text(body.prompt);
      if (!prompt) throw invalid('prompt', 'prompt is required');
      const base64Array = images('base64Array', body.base64Array, 0, 5);
      return plan('IMAGINE', prompt, 'imagine', { prompt, ...(base64Array.length ? { base64Array } : {}) });
    }
    case 'shorten': {
      const prompt = text(body.prompt);
      if (!prompt) throw invalid('prompt', 'prompt is required');
      return plan('SHORTEN', prompt, 'shorten', { prompt });
    }
    case 'describe': {
      const base64 = text(body.base64) || (body.base64Array ?? [])[0] || '';
      if (!base64) throw invalid('base64', 'base64 image is required');
      checkBase64('base64', base64, ctx.base64MaxBytes);
      return plan('DESCRIBE', '', 'describe', { base64 });
    }
    case 'blend': {
      const base64Array = images('base64Array', body.base64Array, 2, 5);
      const dimensions = text(body.dimensions).toUpperCase();
      if (dimensions && !['PORTRAIT', 'SQUARE', 'LANDSCAPE'].includes(dimensions))
        throw invalid('dimensions', 'dimensions must be PORTRAIT, SQUARE or LANDSCAPE');
      return plan('BLEND', '', 'blend', { base64Array, ...(dimensions ? { dimensions } : {}) });
    }
    case 'change': {
      const action = text(body.action).toUpperCase();
      if (!text(body.taskId)) throw invalid('taskId', 'taskId is required');
      if (!['UPSCALE', 'VARIATION', 'REROLL'].includes(action)) throw invalid('action', 'action must be UPSCALE, VARIATION or REROLL');
      const index = Number(body.index ?? 0);
      if (action !== 'REROLL' && !(Number.isInteger(index) && index >= 1 && index <= 4)) throw invalid('index', 'index must be 1 to 4');
      const parent = await parentOf(text(body.taskId), 'taskId', true);
      return plan(action, parent.prompt, 'change', { taskId: parent.upstreamTaskId, action, ...(action === 'REROLL' ? {} : { index }) }, parent);
    }
    case 'simple-change': {
      const parsed = parseSimpleChange(text(body.content));
      if (!parsed) throw invalid('content', 'content must look like "<taskId> U1" (U1-U4, V1-V4 or R)');
      const parent = await parentOf(parsed.taskId, 'content', true);
      const forwarded = { taskId: parent.upstreamTaskId, action: parsed.action, ...(parsed.action === 'REROLL' ? {} : { index: parsed.index }) };
      return plan(parsed.action, parent.prompt, 'change', forwarded, parent);
    }
    case 'action': {
      const customId = text(body.customId);
      if (!text(body.taskId)) throw invalid('taskId', 'taskId is required');
      if (!customId) throw invalid('customId', 'customId is required');
      const action = actionOfCustomId(customId);
      if (!action) throw invalid('customId', `customId ${customId.slice(0, 80)} is not a Midjourney button id`);
      const parent = await parentOf(text(body.taskId), 'taskId', true);
      return plan(action, parent.prompt, 'action', { taskId: parent.upstreamTaskId, customId }, parent);
    }
    case 'edits': {
      const prompt = text(body.prompt);
      if (!prompt) throw invalid('prompt', 'prompt is required');
      const image = imageRef('image', text(body.image), ctx.base64MaxBytes);
      const maskBase64 = text(body.maskBase64);
      if (maskBase64) checkBase64('maskBase64', maskBase64, ctx.base64MaxBytes);
      return plan('EDITS', prompt, 'edits', { prompt, image, ...(maskBase64 ? { maskBase64 } : {}) });
    }
    case 'video': {
      const motion = text(body.motion).toLowerCase();
      if (motion && motion !== 'low' && motion !== 'high') throw invalid('motion', 'motion must be low or high');
      const index = body.index ?? null;
      const options = { ...(motion ? { motion } : {}), ...(typeof body.loop === 'boolean' ? { loop: body.loop } : {}) };
      if (text(body.taskId)) {
        // From one image of a finished task, on that task's channel, as new-api does.
        const parent = await parentOf(text(body.taskId), 'taskId', true);
        const prompt = text(body.prompt) || parent.prompt;
        const forwarded = {
          taskId: parent.upstreamTaskId,
          ...(index ? { index } : {}),
          ...(text(body.prompt) ? { prompt: text(body.prompt) } : {}),
          ...options,
        };
        return plan('VIDEO', prompt, 'video', forwarded, parent);
      }
      if (!text(body.image)) throw invalid('image', 'video needs taskId (a finished task) or image');
      const image = imageRef('image', text(body.image), ctx.base64MaxBytes);
      return plan('VIDEO', text(body.prompt), 'video', { image, ...(text(body.prompt) ? { prompt: text(body.prompt) } : {}), ...options });
    }
    case 'upload-discord-images': {
      const base64Array = images('base64Array', body.base64Array, 1, 5);
      return plan('UPLOAD', '', 'upload-discord-images', { base64Array });
    }
    case 'swap-face': {
      const sourceBase64 = text(body.sourceBase64);
      const targetBase64 = text(body.targetBase64);
      if (!sourceBase64) throw invalid('sourceBase64', 'sourceBase64 is required');
      if (!targetBase64) throw invalid('targetBase64', 'targetBase64 is required');
      checkBase64('sourceBase64', sourceBase64, ctx.base64MaxBytes);
      checkBase64('targetBase64', targetBase64, ctx.base64MaxBytes);
      // new-api records the swap with this prompt.
      return plan('SWAP_FACE', 'InsightFace', 'insight-face/swap', { sourceBase64, targetBase64 });
    }
    case 'modal': {
      if (!text(body.taskId)) throw invalid('taskId', 'taskId is required');
      const maskBase64 = text(body.maskBase64);
      if (maskBase64) checkBase64('maskBase64', maskBase64, ctx.base64MaxBytes);
      // The parked task waits in MODAL; new-api skips the "finished" check here.
      const parent = await parentOf(text(body.taskId), 'taskId', false);
      const prompt = text(body.prompt) || parent.prompt;
      return plan(
        'MODAL',
        prompt,
        'modal',
        { taskId: parent.upstreamTaskId, ...(text(body.prompt) ? { prompt: text(body.prompt) } : {}), ...(maskBase64 ? { maskBase64 } : {}) },
        parent,
      );
    }
  }

  async function parentOf(mjId: string, field: string, mustHaveSucceeded: boolean): Promise<IMjTask> {
    const parent = await ctx.tasks.byMjId(mjId);
    // Another user's task reads exactly like a missing one.
    if (!parent || parent.userId !== ctx.userId) throw invalid(field, `task ${mjId.slice(0, 40)} not found`);
    if (!parent.upstreamTaskId || parent.channelId === 0) throw invalid(field, `task ${mjId} has not reached an upstream yet`);
    if (mustHaveSucceeded && parent.status !== 'SUCCESS')
      throw invalid(field, `task ${mjId} has not succeeded (status ${parent.status}); actions need a finished task`);
    return parent;
  }
}

const BASE64 = /^[A-Za-z0-9+/\r\n]+={0,2}$/;

/** An image given as base64 (checked like the others) or as an http(s) URL the upstream fetches itself. */
function imageRef(field: string, value: string, maxBytes: number): string {
  if (!value) throw invalid(field, `${field} is required`);
  if (/^https?:\/\//i.test(value)) {
    if (value.length > 2048) throw invalid(field, `${field} URL is longer than 2048 characters`);
    try {
      new URL(value);
    } catch {
      throw invalid(field, `${field} is not a valid URL`);
    }
    return value;
  }
  checkBase64(field, value, maxBytes);
  return value;
}

/** Accepts raw base64 or a data URL; refuses garbage and images over the size limit without decoding them. */
function checkBase64(field: string, value: string, maxBytes: number): void {
  const payload = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value;
  if (!payload || !BASE64.test(payload)) throw invalid(field, `${field} is not base64 image data`);
  const bytes = Math.floor((payload.replace(/[\r\n]/g, '').length * 3) / 4);
  if (bytes > maxBytes)
    throw new ValidationError(`${field} is too large: ${bytes} bytes, at most ${maxBytes}`, {
      details: [{ field, message: `image larger than ${maxBytes} bytes` }],
    });
}
