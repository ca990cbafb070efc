/**
 * Discord button ids as midjourney-proxy passes them through, e.g.
 * `MJ::JOB::upsample::2::<message hash>`. The relay needs the action behind a
 * button to price it (new-api bills `mj_<action>`), and must refuse ids it
 * cannot read before charging anything.
 */
export type MjButtonAction = 'UPSCALE' | 'VARIATION' | 'LOW_VARIATION' | 'HIGH_VARIATION' | 'REROLL' | 'PAN' | 'ZOOM' | 'CUSTOM_ZOOM' | 'INPAINT';

const HASH = '[0-9a-zA-Z-]{8,64}';
const JOB = new RegExp(`^MJ::JOB::([a-z0-9_]+)::([0-4])::${HASH}(?:::SOLO)?$`);
const OUTPAINT = new RegExp(`^MJ::Outpaint::\\d{1,3}::[1-4]::${HASH}(?:::SOLO)?$`);
const CUSTOM_ZOOM = new RegExp(`^MJ::CustomZoom::${HASH}$`);
const INPAINT = new RegExp(`^MJ::Inpaint::[1-4]::${HASH}(?:::SOLO)?$`);

/** The action a button stands for, or null when the id is malformed. */
export function actionOfCustomId(customId: string): MjButtonAction | null {
  const job = JOB.exec(customId);
  if (job) {
    const [, name, index] = job as unknown as [string, string, string];
    if (name === 'reroll') return 'REROLL';
    if (index === '0') return null;
    if (name === 'upsample' || /^upsample_v\d+_\dx(_[a-z]+)?$/.test(name)) return 'UPSCALE';
    if (name === 'variation') return 'VARIATION';
    if (name === 'low_variation') return 'LOW_VARIATION';
    if (name === 'high_variation') return 'HIGH_VARIATION';
    if (/^pan_(left|right|up|down)$/.test(name)) return 'PAN';
    return null;
  }
  if (OUTPAINT.test(customId)) return 'ZOOM';
  if (CUSTOM_ZOOM.test(customId)) return 'CUSTOM_ZOOM';
  if (INPAINT.test(customId)) return 'INPAINT';
  return null;
}

/** `simple-change` content: `<taskId> U1..U4 | V1..V4 | R`. */
export function parseSimpleChange(content: string): { taskId: string; action: 'UPSCALE' | 'VARIATION' | 'REROLL'; index: number } | null {
  const m = /^\s*(\S+)\s+([UuVv])([1-4])\s*$/.exec(content) ?? /^\s*(\S+)\s+([Rr])()\s*$/.exec(content);
  if (!m) return null;
  const [, taskId, letter, index] = m as unknown as [string, string, string, string];
  const action = letter.toUpperCase() === 'U' ? 'UPSCALE' : letter.toUpperCase() === 'V' ? 'VARIATION' : 'REROLL';
  return { taskId, action, index: index ? Number(index) : 0 };
}
