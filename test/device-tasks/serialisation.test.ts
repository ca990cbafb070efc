import { DB_KINDS } from '../support/databases';
import { COMPLETED, PENDING, RUNNING, useDeviceHarness, warmup } from './harness';

/** Intervals [start, end] of rows, checked pairwise. */
function overlaps(a: { startedAt: number; endedAt: number }, b: { startedAt: number; endedAt: number }): boolean {
  return a.startedAt < b.endedAt && b.startedAt < a.endedAt;
}

describe.each(DB_KINDS)('one task at a time per phone (%s)', (kind) => {
  const ctx = useDeviceHarness(kind);

  async function finished(ids: number[]) {
    await Promise.all(ids.map((id) => ctx.h.waitForStatus(id, [COMPLETED], 60_000)));
    return Promise.all(ids.map(async (id) => (await ctx.h.row(id))!));
  }

  test('tasks on one phone never overlap, and those waiting for it run earliest-due first, in creation order', async () => {
    const phone = await ctx.h.addPhone();
    await ctx.h.addAccount(`first_${kind}_${phone}`, phone);
    await ctx.h.addAccount(`second_${kind}_${phone}`, phone);
    const [blocker] = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) });
    await ctx.h.waitForStatus(blocker, [RUNNING]);
    const waiting = [
      ...(await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
      // One request, two accounts: same due time, so id order.
      ...(await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), enable_multi_account: true })),
      ...(await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) })),
    ];
    expect((await Promise.all(waiting.map((id) => ctx.h.get(id)))).map((t) => t.status)).toEqual([PENDING, PENDING, PENDING, PENDING]);
    await ctx.h.stop(blocker);

    const rows = (await finished(waiting)).map((r) => ({ id: r.id, startedAt: r.startedAt!, endedAt: r.endedAt!, remark: r.remark }));
    for (const r of rows) expect(r.remark).toMatch(/watched \d+ video/);
    expect([...rows].sort((a, b) => a.startedAt - b.startedAt).map((r) => r.id)).toEqual(waiting);
    const stopped = (await ctx.h.row(blocker))!;
    const all = [{ startedAt: stopped.startedAt!, endedAt: stopped.endedAt! }, ...rows];
    for (let i = 1; i < all.length; i++) expect(all[i].startedAt).toBeGreaterThanOrEqual(all[i - 1].endedAt);
    // The Appium sessions themselves, as the worker opened and closed them.
    const sessions = ctx.h.runs.filter((r) => r.serial === phone).map((r) => ({ startedAt: r.startedAt, endedAt: r.endedAt! }));
    expect(sessions).toHaveLength(5);
    for (let i = 0; i < sessions.length; i++) for (let j = i + 1; j < sessions.length; j++) expect(overlaps(sessions[i], sessions[j])).toBe(false);
  });

  test('tasks on two phones run at the same time', async () => {
    const [one, two] = [await ctx.h.addPhone(), await ctx.h.addPhone()];
    const ids = await ctx.h.create({ serials: [one, two], script_name: 'account_warmup', script_config: warmup(2) });
    const [a, b] = (await finished(ids)).map((r) => ({ startedAt: r.startedAt!, endedAt: r.endedAt! }));
    expect(overlaps(a, b)).toBe(true);
  });

  test('min_interval/max_interval space consecutive tasks on a phone by a random gap within the range', async () => {
    const phone = await ctx.h.addPhone();
    // 0.05–0.1 minutes: 3–6 s between the end of one and the start of the next.
    const ids = await ctx.h.create({ serials: [phone, phone], script_name: 'account_warmup', script_config: warmup(1), min_interval: 0.05, max_interval: 0.1 });
    expect(ids).toHaveLength(1); // one task per distinct serial
    const more = await ctx.h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1), min_interval: 0.05, max_interval: 0.1 });
    const [first, second] = (await finished([...ids, ...more])).sort((x, y) => x.startedAt! - y.startedAt!);
    const gap = second.startedAt! - first.endedAt!;
    expect(gap).toBeGreaterThanOrEqual(3000);
    expect(gap).toBeLessThan(6000 + 3000);
    expect(await ctx.h.get(more[0])).toMatchObject({ min_interval: 0.05, max_interval: 0.1 });
  });
});
