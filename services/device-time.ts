/**
 * Wall-clock arithmetic for device tasks in the configured time zone (TZ): TikMatrix's
 * start_time "HH:MM" means today at that time there, and its timestamps read
 * "YYYY-MM-DD HH:MM:SS" in the same zone. Pure functions of an explicit `now`.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant the zone's clock shows the given wall time; a time skipped by DST lands just after the gap. */
function instantOf(w: Omit<WallClock, 'second'>, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return first === second ? first : Math.max(first, second);
}

export const START_TIME_PATTERN = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * When a task given start_time "HH:MM" should run: today at that time in `timeZone`, or
 * null (run as soon as the phone is free) when that moment is not in the future.
 */
export function resolveStartTime(hhmm: string, now: number, timeZone: string): number | null {
  const match = START_TIME_PATTERN.exec(hhmm);
  if (!match) throw new RangeError(`start_time must be "HH:MM" (00:00 to 23:59), got "${hhmm}"`);
  const today = wallClock(now, timeZone);
  const at = instantOf({ year: today.year, month: today.month, day: today.day, hour: Number(match[1]), minute: Number(match[2]) }, timeZone);
  return at > now ? at : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "YYYY-MM-DD HH:MM:SS" in `timeZone`, as TikMatrix shows task times; null stays null. */
export function formatWallClock(ms: number | null | undefined, timeZone: string): string | null {
  if (ms === null || ms === undefined) return null;
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}
