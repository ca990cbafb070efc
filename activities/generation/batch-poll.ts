import { heartbeat, log } from '@temporalio/activity';
import type { IChannel } from '../../db/entities';
import { inParallel } from '../../lib/in-parallel';
import type { PollSummary } from '../../workflows/generation/definitions';

/** A row the poller follows: which channel it is on and the id the upstream knows it by. */
export interface PolledRow {
  id: number;
  channelId: number;
  upstreamTaskId?: string | null;
}

export interface BatchPollSpec<Row extends PolledRow, Snapshot> {
  platform: string;
  /** In-flight rows grouped by channel. */
  groups: Map<number, Row[]>;
  batchSize: number;
  channel(id: number): Promise<IChannel>;
  /** One upstream request for many ids; unknown ids are simply absent from the answer. */
  fetch(channel: IChannel, upstreamIds: string[]): Promise<Snapshot[]>;
  upstreamId(snapshot: Snapshot): string;
  /** Worth telling the task's workflow: anything its projection would show differently. */
  changed(row: Row, snapshot: Snapshot): boolean;
  /** Stamps the rows the upstream reported, so their workflows know the poller is alive for them. */
  markPolled(rowIds: number[]): Promise<void>;
  /** Signals the row's workflow; false when it has already finished. */
  signal(row: Row, snapshot: Snapshot): Promise<boolean>;
}

/** Signals are independent RPCs; a bounded fan-out keeps a 1,000-task round to well under a second. */
const SIGNAL_CONCURRENCY = 32;

/**
 * One round of batched polling, shared by every generation platform: per
 * channel, one request carrying the upstream ids of all its in-flight tasks,
 * then a signal to each task whose state changed. A channel that fails is
 * skipped this round; its tasks' own fallback checks keep them moving.
 */
export async function pollInBatches<Row extends PolledRow, Snapshot>(spec: BatchPollSpec<Row, Snapshot>): Promise<PollSummary> {
  const summary: PollSummary = { channels: spec.groups.size, requests: 0, tasks: 0, signalled: 0, failedChannels: 0, stranded: 0 };
  await Promise.all(
    [...spec.groups].map(async ([channelId, rows]) => {
      let channel: IChannel;
      try {
        channel = await spec.channel(channelId);
      } catch {
        summary.failedChannels++;
        return;
      }
      for (let i = 0; i < rows.length; i += spec.batchSize) {
        const batch = rows.slice(i, i + spec.batchSize);
        summary.requests++;
        summary.tasks += batch.length;
        let reported: Snapshot[];
        try {
          // Two rows may follow one upstream task (a repeated upscale answered 21, a modal); ask once.
          reported = await spec.fetch(channel, [...new Set(batch.map((r) => r.upstreamTaskId!))]);
        } catch (err) {
          summary.failedChannels++;
          log.warn('batched fetch failed', { platform: spec.platform, channelId, error: (err as Error).message });
          continue;
        }
        const byUpstreamId = new Map(reported.map((s) => [spec.upstreamId(s), s]));
        await spec.markPolled(batch.filter((r) => byUpstreamId.has(r.upstreamTaskId!)).map((r) => r.id));
        const news = batch.flatMap((row) => {
          const snapshot = byUpstreamId.get(row.upstreamTaskId!);
          return snapshot && spec.changed(row, snapshot) ? [{ row, snapshot }] : [];
        });
        await inParallel(news, SIGNAL_CONCURRENCY, async ({ row, snapshot }) => {
          if (await spec.signal(row, snapshot)) summary.signalled++;
        });
        heartbeat(summary);
      }
    }),
  );
  return summary;
}
