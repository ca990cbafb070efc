import { formatWallClock, resolveStartTime } from '../../services/device-time';
import { useAppium } from '../support/appium';
import { DB_KINDS } from '../support/databases';
import { COMPLETED, FAILED, PENDING, startDeviceHarness, warmup, type DeviceHarness } from './harness';

const at = (iso: string) => Date.parse(iso);

describe('start_time "HH:MM" is today at that time in TZ', () => {
  test('a time later today is that instant; one already passed (or now) means run now', () => {
    const now = at('2026-03-10T09:00:00Z');
    expect(resolveStartTime('10:30', now, 'UTC')).toBe(at('2026-03-10T10:30:00Z'));
    expect(resolveStartTime('9:01', now, 'UTC')).toBe(at('2026-03-10T09:01:00Z'));
    expect(resolveStartTime('08:59', now, 'UTC')).toBeNull();
    expect(resolveStartTime('09:00', now, 'UTC')).toBeNull();
  });

  test('"today" and the hour are the zone\'s, not UTC\'s', () => {
    expect(resolveStartTime('10:30', at('2026-03-10T01:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-03-10T02:30:00Z'));
    // 23:30 on 9 March in Los Angeles is already 10 March in UTC.
    const lateEvening = at('2026-03-10T06:30:00Z');
    expect(resolveStartTime('23:45', lateEvening, 'America/Los_Angeles')).toBe(at('2026-03-10T06:45:00Z'));
    expect(resolveStartTime('00:15', lateEvening, 'America/Los_Angeles')).toBeNull();
  });

  test('across a daylight-saving change the wall time is kept; a skipped time lands after the gap', () => {
    const berlinMorning = at('2026-03-29T00:00:00Z'); // 01:00 CET, clocks jump 02:00 → 03:00
    expect(resolveStartTime('04:00', berlinMorning, 'Europe/Berlin')).toBe(at('2026-03-29T02:00:00Z'));
    expect(resolveStartTime('02:30', berlinMorning, 'Europe/Berlin')).toBe(at('2026-03-29T01:30:00Z'));
  });

  test('times are shown as TikMatrix shows them, in the zone', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(formatWallClock(t, 'UTC')).toBe('2026-01-02 03:04:05');
    expect(formatWallClock(t, 'Asia/Shanghai')).toBe('2026-01-02 11:04:05');
    expect(formatWallClock(null, 'UTC')).toBeNull();
  });

  test('anything but HH:MM is refused', () => {
    for (const bad of ['25:61', '24:00', '7', '07:5', '07:60', 'noon']) expect(() => resolveStartTime(bad, 0, 'UTC')).toThrow(RangeError);
  });
});

/**
 * A zone whose clock is nowhere near midnight for the next hour: start_time cannot say
 * "tomorrow", so a test that needs "in a minute" must not run at 23:59 there.
 */
function zoneAwayFromMidnight(): string {
  const hour = new Date().getUTCHours();
  return hour >= 1 && hour <= 21 ? 'UTC' : 'Asia/Tokyo';
}

/** The next whole minute at least `leadMs` away, as "HH:MM" in `zone`, and its instant. */
function nextMinute(leadMs: number, zone: string): { hhmm: string; at: number } {
  const due = Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
  return { hhmm: formatWallClock(due, zone)!.slice(11, 16), at: due };
}

describe('scheduled device tasks', () => {
  const zone = zoneAwayFromMidnight();
  let appium: Awaited<ReturnType<typeof useAppium>>;
  const harnesses: DeviceHarness[] = [];
  beforeAll(async () => {
    appium = await useAppium();
    for (const kind of DB_KINDS) harnesses.push(await startDeviceHarness(kind, { APPIUM_URL: appium.url, TZ: zone }));
  });
  afterAll(async () => {
    for (const h of harnesses) await h.close();
    await appium?.release();
  });

  test('on both databases, a task given the next minute stays pending until then and starts at that minute', async () => {
    const { hhmm, at: due } = nextMinute(5_000, zone);
    const tasks = await Promise.all(
      harnesses.map(async (h) => {
        const phone = await h.addPhone();
        const [id] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), start_time: hhmm });
        return { h, id, phone };
      }),
    );
    for (const { h, id } of tasks) {
      expect(await h.get(id)).toMatchObject({ status: PENDING, scheduled_time: formatWallClock(due, zone), start_time: formatWallClock(due, zone) });
    }
    for (const { h, id, phone } of tasks) {
      const done = await h.waitForStatus(id, [COMPLETED], 90_000);
      expect(done.remark).toMatch(/watched/);
      const row = (await h.row(id))!;
      expect(row.startedAt!).toBeGreaterThanOrEqual(due);
      // TikMatrix starts due tasks within 10 s; so must we.
      expect(row.startedAt! - due).toBeLessThan(10_000);
      expect(h.runs.find((r) => r.serial === phone)!.startedAt).toBeGreaterThanOrEqual(due);
    }
  }, 120_000);

  test.each(DB_KINDS)('(%s) a start_time already passed today runs now, and a scheduled task can be stopped before its time', async (kind) => {
    const h = harnesses[DB_KINDS.indexOf(kind)];
    const phone = await h.addPhone();
    const [now] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), start_time: '00:00' });
    expect((await h.get(now)).scheduled_time).toBeNull();
    await h.waitForStatus(now, [COMPLETED]);

    const later = nextMinute(2 * 60_000, zone);
    const [scheduled] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), start_time: later.hhmm });
    expect((await h.get(scheduled)).status).toBe(PENDING);
    await h.stop(scheduled);
    expect(await h.waitForStatus(scheduled, [FAILED], 10_000)).toMatchObject({ remark: 'stopped by request', end_time: expect.any(String) });
    expect(h.runs.filter((r) => r.serial === phone)).toHaveLength(1);
  });
});
