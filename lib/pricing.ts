import { ValidationError } from './errors';

/** Per-call prices in USD, as new-api ships them. Override any with MODEL_PRICES. */
export const DEFAULT_MODEL_PRICES: Record<string, number> = {
  suno_music: 0.1,
  suno_lyrics: 0.01,
  mj_imagine: 0.1,
  mj_variation: 0.1,
  mj_reroll: 0.1,
  mj_blend: 0.1,
  mj_modal: 0.1,
  mj_zoom: 0.1,
  mj_shorten: 0.1,
  mj_high_variation: 0.1,
  mj_low_variation: 0.1,
  mj_pan: 0.1,
  mj_inpaint: 0,
  mj_custom_zoom: 0,
  mj_describe: 0.05,
  mj_upscale: 0.05,
  mj_edits: 0.1,
  mj_video: 0.8,
  swap_face: 0.05,
  mj_upload: 0.05,
};

/** Quota units for one call of `model`; unknown models are refused rather than given away. */
export function quotaFor(model: string, prices: Record<string, number>, quotaPerUnit: number): number {
  const usd = prices[model];
  if (usd === undefined) throw new ValidationError(`no price is configured for model ${model}`);
  return Math.round(usd * quotaPerUnit);
}
