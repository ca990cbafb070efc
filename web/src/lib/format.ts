/** Display helpers: quota as new-api shows it, times in the browser's zone. */

export function formatQuota(quota: number, perUnit = 500_000): string {
  return `${quota.toLocaleString()} ($${(quota / perUnit).toFixed(2)})`;
}

/** Unix seconds or milliseconds (anything ≥ 10^11 is read as milliseconds, as the API does). */
export function formatTime(t: number | null | undefined): string {
  if (!t) return '—';
  const ms = t < 1e11 ? t * 1000 : t;
  return new Date(ms).toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** `datetime-local` input value → unix seconds, or undefined when empty. */
export function toSeconds(local: string): number | undefined {
  if (!local) return undefined;
  const ms = new Date(local).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

export const percent = (progress: string) => Math.max(0, Math.min(100, Number.parseFloat(progress) || 0));
