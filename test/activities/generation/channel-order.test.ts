import { orderChannels } from '../../../activities/generation/channel-order';
import type { IChannel } from '../../../db/entities';

const channel = (id: number, priority: number, weight: number) => ({ id, priority, weight }) as IChannel;

describe('channel order', () => {
  test('higher priority always comes first, and every channel appears once', () => {
    const ordered = orderChannels([channel(1, 0, 50), channel(2, 10, 0), channel(3, 5, 1), channel(4, 10, 9)]);
    expect(ordered.map((c) => c.priority)).toEqual([10, 10, 5, 0]);
    expect(ordered.map((c) => c.id).sort()).toEqual([1, 2, 3, 4]);
  });

  test('within one priority, channels lead in proportion to weight + 1', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const firsts = { 1: 0, 2: 0 } as Record<number, number>;
    for (let i = 0; i < 4000; i++) firsts[orderChannels([channel(1, 0, 0), channel(2, 0, 3)], random)[0].id]++;
    // Weights 1 and 4: the heavier channel leads about 80% of the time.
    expect(firsts[2] / 4000).toBeGreaterThan(0.75);
    expect(firsts[2] / 4000).toBeLessThan(0.85);
  });
});
