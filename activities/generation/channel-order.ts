import type { IChannel } from '../../db/entities';

/**
 * Highest priority first; within one priority a weighted random order, so
 * traffic spreads across equal channels in proportion to their weights (as
 * new-api does) while every channel is still tried once if others fail.
 */
export function orderChannels(channels: IChannel[], random: () => number = Math.random): IChannel[] {
  const byPriority = new Map<number, IChannel[]>();
  for (const c of channels) byPriority.set(c.priority, [...(byPriority.get(c.priority) ?? []), c]);
  return [...byPriority.keys()].sort((a, b) => b - a).flatMap((priority) => weightedShuffle(byPriority.get(priority)!, random));
}

function weightedShuffle(pool: IChannel[], random: () => number): IChannel[] {
  const left = [...pool];
  const out: IChannel[] = [];
  while (left.length > 0) {
    // Weight 0 still gets a small chance, so a zero-weight channel is a fallback, not dead.
    const weights = left.map((c) => Math.max(c.weight, 0) + 1);
    let pick = random() * weights.reduce((a, b) => a + b, 0);
    let index = 0;
    while (index < left.length - 1 && pick >= weights[index]) pick -= weights[index++];
    out.push(left.splice(index, 1)[0]);
  }
  return out;
}
