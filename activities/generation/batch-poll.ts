import { heartbeat, log } from '@temporalio/activity';
import type { IChannel } from '../../db/entities';
import { inParallel } from '../../lib/in-parallel';
import type { PollSummary } from '../../workflows/generation/definitions';
import type { SignalMemo } from './signal-memo';

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
  /** What was already signalled, across rounds (one per platform and worker). */
  memo?: SignalMemo;
}

/** Batches of one channel fetched at once: a few requests in flight, not ⌈n / batch⌉ of them. */
const FETCH_CONCURRENCY = 4;
/** Signals are independent RPCs; a bounded fan-out. */
const SIGNAL_CONCURRENCY = 32;
/** Heartbeat this often during the fan-out, so a long one is not mistaken for a dead round. */
const HEARTBEAT_EVERY = 100;

/**
 * One round of batched polling, shared by every generation platform. Per channel, the
 * in-flight tasks go out in pages of `batchSize` upstream ids (every task, every round);
 * each page's reported tasks are stamped as polled as soon as it answers, before any
 * signal, so a task's fallback never mistakes a long round for a dead poller. Then each task
 * whose state changed gets one signal, unless it was already sent that news. A channel whose
 * fetch fails is skipped this round; its tasks' own fallback checks keep them moving.
 */
export async function pollInBatches<Row extends PolledRow, Snapshot>(spec: BatchPollSpec<Row, Snapshot>): Promise<PollSummary> {
  const summary: PollSummary = { channels: spec.groups.size, requests: 0, tasks: 0, signalled: 0, failedChannels: 0, stranded: 0 };
  const news: { row: Row; snapshot: Snapshot }[] = [];
  await Promise.all(
    [...spec.groups].map(async ([channelId, rows]) => {
      let channel: IChannel;
      try {
        channel = await spec.channel(channelId);
      } catch {
        summary.failedChannels++;
        return;
      }
      const batches: Row[][] = [];
      for (let i = 0; i < rows.length; i += spec.batchSize) batches.push(rows.slice(i, i + spec.batchSize));
      let failed = false;
      await inParallel(batches, FETCH_CONCURRENCY, async (batch) => {
        summary.requests++;
        summary.tasks += batch.length;
        let reported: Snapshot[];
        try {
          // Two rows may follow one upstream task (a repeated upscale answered 21, a modal); ask once.
          reported = await spec.fetch(channel, [...new Set(batch.map((r) => r.upstreamTaskId!))]);
        } catch (err) {
          failed = true;
          log.warn('batched fetch failed', { platform: spec.platform, channelId, error: (err as Error).message });
          return;
        }
        const byUpstreamId = new Map(reported.map((s) => [spec.upstreamId(s), s]));
        await spec.markPolled(batch.filter((r) => byUpstreamId.has(r.upstreamTaskId!)).map((r) => r.id));
        for (const row of batch) {
          const snapshot = byUpstreamId.get(row.upstreamTaskId!);
          if (snapshot && spec.changed(row, snapshot)) news.push({ row, snapshot });
        }
        heartbeat(summary);
      });
      if (failed) summary.failedChannels++;
    }),
  );
  const due = news.filter(({ row, snapshot }) => !spec.memo || spec.memo.due(row.id, JSON.stringify(snapshot)));
  let sent = 0;
  await inParallel(due, SIGNAL_CONCURRENCY, async ({ row, snapshot }) => {
    if (await spec.signal(row, snapshot)) summary.signalled++;
    spec.memo?.sentNow(row.id, JSON.stringify(snapshot));
    if (++sent % HEARTBEAT_EVERY === 0) heartbeat(summary);
  });
  spec.memo?.keepOnly([...spec.groups.values()].flatMap((rows) => rows.map((r) => r.id)));
  return summary;
}
