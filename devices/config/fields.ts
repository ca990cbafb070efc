import { z } from 'zod';

/**
 * Field types shared by the script_config schemas. TikMatrix clients send numbers as
 * strings and flags as 0/1 as often as JSON numbers and booleans, so each helper accepts
 * the loose forms and outputs one normalised type. Every output is valid input again,
 * so a stored config can be re-parsed (retries) without drift.
 */

const numeric = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

export const int = (min: number, max: number) => z.preprocess(numeric, z.number().int().min(min).max(max));
export const num = (min: number, max: number) => z.preprocess(numeric, z.number().min(min).max(max));

/** 0–100, the unit of TikMatrix's *_probable sliders. */
export const percent = () => int(0, 100);

const FLAG_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
export const flag = () =>
  z.preprocess((v) => (typeof v === 'number' && (v === 0 || v === 1) ? v === 1 : typeof v === 'string' && v in FLAG_WORDS ? FLAG_WORDS[v] : v), z.boolean());

export const text = (max = 10_000) => z.string().max(max);

/** Multi-line text fields ("one per line"): blank lines and surrounding spaces do not count. */
export function splitLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** `target_user`: one string, several names separated by newlines or commas. */
export function splitList(value: string): string[] {
  return value
    .split(/[\r\n,]+/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

const USERNAME = /^[A-Za-z0-9._]{1,30}$/;
const PROFILE_URL = /^(?:https?:\/\/)?(?:www\.|m\.)?tiktok\.com\/@([^/?#\s]+)\/?(?:[?#].*)?$/i;

/** Accepts `name`, `@name` or a profile URL; returns the bare username or undefined when malformed. */
export function normaliseUsername(raw: string): string | undefined {
  const trimmed = raw.trim();
  const fromUrl = PROFILE_URL.exec(trimmed)?.[1];
  const name = (fromUrl ?? trimmed).replace(/^@/, '');
  return USERNAME.test(name) ? name : undefined;
}

const VIDEO_URL = /^(?:www\.|m\.)?tiktok\.com\/@[A-Za-z0-9._]{1,30}\/(?:video|photo)\/\d{5,25}\/?$/i;
const SHORT_URL = /^(?:vm|vt)\.tiktok\.com\/[A-Za-z0-9]{4,20}\/?$/i;
const INSTAGRAM_URL = /^(?:www\.)?instagram\.com\/(?:p|reel|reels)\/[A-Za-z0-9_-]+\/?$/i;

export type PostUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * TikTok post links in the forms TikMatrix documents: `tiktok.com/@user/video/ID` (with or
 * without scheme, www, query string) and the `vm.`/`vt.tiktok.com/CODE/` short links.
 * Instagram links are recognised only to give a precise refusal: the scripts drive TikTok.
 */
export function normalisePostUrl(raw: string): PostUrlCheck {
  const trimmed = raw.trim();
  const bare = trimmed.replace(/^https?:\/\//i, '').replace(/[?#].*$/, '');
  if (VIDEO_URL.test(bare) || SHORT_URL.test(bare)) return { ok: true, url: `https://${bare}` };
  if (INSTAGRAM_URL.test(bare)) return { ok: false, reason: `"${trimmed}" is an Instagram link; only TikTok posts are supported` };
  return { ok: false, reason: `"${trimmed}" is not a TikTok post URL (expected tiktok.com/@user/video/ID or vm.tiktok.com/CODE/)` };
}

export type SpintaxCheck = { ok: true } | { ok: false; reason: string };

/** Balanced `{a|b}` groups (nesting allowed); an unbalanced caption is a typo worth a 40001. */
export function checkSpintax(value: string): SpintaxCheck {
  let depth = 0;
  for (const ch of value) {
    if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth < 0) return { ok: false, reason: 'has a "}" without a matching "{"' };
    }
  }
  return depth === 0 ? { ok: true } : { ok: false, reason: 'has a "{" without a matching "}"' };
}

/** Clients often send `null` for "not set"; treat it like an absent key so defaults apply. */
export function dropNulls(raw: unknown): unknown {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => v !== null));
}

/** `job_index`: which item a `sequential` order picks; fan-out and batch creation set it per task. */
export const jobIndex = () => int(0, 1_000_000).default(0);
export const order = () => z.enum(['random', 'sequential']).default('random');
