import { createHash } from 'node:crypto';
import type { MjButton, TaskAction } from './types';

/**
 * Discord identifies the message a button belongs to by a UUID-like hash inside
 * every customId; relays pass customIds back verbatim, so deriving the hash from
 * the task id keeps them stable across reads without storing them.
 */
export function messageHash(taskId: string): string {
  const h = createHash('sha256').update(`mj-sim:${taskId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Which button set a finished task shows; a grid is four images, a single is one upscaled image. */
export type ButtonLayout = 'grid' | 'single' | 'none';

// Discord component type 2 = button, style 2 = secondary (grey), as midjourney-proxy reports them.
function button(customId: string, label: string, emoji = ''): MjButton {
  return { customId, emoji, label, type: 2, style: 2 };
}

export function buttonsFor(layout: ButtonLayout, hash: string): MjButton[] {
  if (layout === 'grid') {
    return [
      ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::upsample::${i}::${hash}`, `U${i}`)),
      button(`MJ::JOB::reroll::0::${hash}::SOLO`, '', '🔄'),
      ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::variation::${i}::${hash}`, `V${i}`)),
    ];
  }
  if (layout === 'single') {
    return [
      button(`MJ::JOB::upsample_v6_2x_subtle::1::${hash}::SOLO`, 'Upscale (Subtle)'),
      button(`MJ::JOB::upsample_v6_2x_creative::1::${hash}::SOLO`, 'Upscale (Creative)'),
      button(`MJ::JOB::low_variation::1::${hash}::SOLO`, 'Vary (Subtle)', '🪄'),
      button(`MJ::JOB::high_variation::1::${hash}::SOLO`, 'Vary (Strong)', '🪄'),
      button(`MJ::Inpaint::1::${hash}::SOLO`, 'Vary (Region)', '🖌️'),
      button(`MJ::Outpaint::50::1::${hash}::SOLO`, 'Zoom Out 2x', '🔍'),
      button(`MJ::Outpaint::75::1::${hash}::SOLO`, 'Zoom Out 1.5x', '🔍'),
      button(`MJ::CustomZoom::${hash}`, 'Custom Zoom', '🔍'),
      button(`MJ::JOB::pan_left::1::${hash}::SOLO`, '', '⬅️'),
      button(`MJ::JOB::pan_right::1::${hash}::SOLO`, '', '➡️'),
      button(`MJ::JOB::pan_up::1::${hash}::SOLO`, '', '⬆️'),
      button(`MJ::JOB::pan_down::1::${hash}::SOLO`, '', '⬇️'),
    ];
  }
  return [];
}

export interface ParsedCustomId {
  action: Extract<TaskAction, 'UPSCALE' | 'VARIATION' | 'REROLL' | 'PAN' | 'ZOOM' | 'INPAINT'>;
  /** Image position 1..4 (0 for reroll and custom zoom, which act on the whole message). */
  index: number;
  hash: string;
  /** CustomZoom and Inpaint open a Discord modal: the task waits for /submit/modal. */
  modal: boolean;
  /** Layout of the image the action produces. */
  produces: ButtonLayout;
}

const HASH = '([0-9a-fA-F-]{8,64})';
const JOB_RE = new RegExp(`^MJ::JOB::([a-z0-9_]+)::([0-4])::${HASH}(?:::SOLO)?$`);
const OUTPAINT_RE = new RegExp(`^MJ::Outpaint::(\\d{1,3})::([1-4])::${HASH}(?:::SOLO)?$`);
const CUSTOM_ZOOM_RE = new RegExp(`^MJ::CustomZoom::${HASH}$`);
const INPAINT_RE = new RegExp(`^MJ::Inpaint::([1-4])::${HASH}(?:::SOLO)?$`);

/** Returns null for anything midjourney-proxy would reject as a malformed customId. */
export function parseCustomId(customId: string): ParsedCustomId | null {
  let m = JOB_RE.exec(customId);
  if (m) {
    const [, job, idx, hash] = m as unknown as [string, string, string, string];
    const index = Number(idx);
    if (job === 'reroll') return { action: 'REROLL', index, hash, modal: false, produces: 'grid' };
    if (index < 1) return null;
    if (job === 'upsample' || /^upsample_v\d+_\dx(_[a-z]+)?$/.test(job)) {
      return { action: 'UPSCALE', index, hash, modal: false, produces: 'single' };
    }
    if (job === 'variation' || job === 'low_variation' || job === 'high_variation') {
      return { action: 'VARIATION', index, hash, modal: false, produces: 'grid' };
    }
    if (/^pan_(left|right|up|down)$/.test(job)) return { action: 'PAN', index, hash, modal: false, produces: 'grid' };
    return null;
  }
  m = OUTPAINT_RE.exec(customId);
  if (m) return { action: 'ZOOM', index: Number(m[2]), hash: m[3]!, modal: false, produces: 'grid' };
  m = CUSTOM_ZOOM_RE.exec(customId);
  if (m) return { action: 'ZOOM', index: 0, hash: m[1]!, modal: true, produces: 'grid' };
  m = INPAINT_RE.exec(customId);
  if (m) return { action: 'INPAINT', index: Number(m[1]), hash: m[2]!, modal: true, produces: 'grid' };
  return null;
}

/** The customId a legacy `change` / `simple-change` request stands for on a grid message. */
export function changeToCustomId(action: 'UPSCALE' | 'VARIATION' | 'REROLL', index: number, hash: string): string {
  if (action === 'REROLL') return `MJ::JOB::reroll::0::${hash}::SOLO`;
  return `MJ::JOB::${action === 'UPSCALE' ? 'upsample' : 'variation'}::${index}::${hash}`;
}
