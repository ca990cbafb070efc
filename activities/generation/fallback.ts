import type { IChannel } from '../../db/entities';
import { nowSeconds } from '../../domain';
import type { Channels } from '../../services/channels';

export interface FallbackCheck<S> {
  seenByPoller: boolean;
  /** null when the poller saw the task recently, or the upstream does not know it. */
  snapshot: S | null;
}

/**
 * The per-task fallback of every generation platform. If the batched poller found the
 * task upstream within `freshSeconds`, there is nothing to do; otherwise the task asks
 * the upstream itself (the poller may be down, or the upstream left this id out).
 */
export async function checkUnlessPolled<S>(
  task: { polledAt: number; channelId: number; upstreamTaskId?: string | null },
  freshSeconds: number,
  channels: Channels,
  fetchOne: (channel: IChannel, upstreamId: string) => Promise<S | null>,
): Promise<FallbackCheck<S>> {
  if (nowSeconds() - task.polledAt <= freshSeconds) return { seenByPoller: true, snapshot: null };
  const channel = await channels.get(task.channelId);
  return { seenByPoller: false, snapshot: await fetchOne(channel, task.upstreamTaskId!) };
}
