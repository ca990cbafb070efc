import { ApplicationFailure, log } from '@temporalio/activity';
import { ChannelType, type ITask } from '../db/entities';
import { nowSeconds, TASK_PROGRESS, type TaskStatusValue } from '../domain';
import type { Services } from '../services';
import { UpstreamError } from '../services/upstream/http';
import type { SunoClient, SunoUpstreamTask } from '../services/upstream/suno-client';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { PollSummary } from '../workflows/generation/definitions';
import { pollInBatches } from './generation/batch-poll';
import { SignalMemo } from './generation/signal-memo';
import { orderChannels } from './generation/channel-order';
import { checkUnlessPolled } from './generation/fallback';
import { recordAccepted } from './generation/record-accepted';

export interface SunoActivityDeps {
  services: Services;
  suno: SunoClient;
  workflows: TaskWorkflows;
  /** Most task ids sent in one batched fetch. */
  batchSize?: number;
}

/** A task the poller never saw this long after its creation may have no workflow. */
const STRANDED_AFTER_SECONDS = 60;
const STRANDED_PER_ROUND = 100;

export function createSunoActivities(deps: SunoActivityDeps) {
  const { tasks, channels } = deps.services;

  async function mustTask(taskId: string): Promise<ITask> {
    const task = await tasks.byTaskId(taskId);
    if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} does not exist`, 'TaskNotFound');
    return task;
  }

  return {
    /**
     * Tries every enabled Suno channel, best first, within one attempt. Rate
     * limits, 5xx, timeouts and broken channels move on to the next channel;
     * a 400 means the request itself is bad and stops everything.
     */
    async submitSunoTask({ taskId, seq }: { taskId: string; seq: number }): Promise<{ channelId: number; upstreamTaskId: string }> {
      const task = await mustTask(taskId);
      // A retry after the upstream accepted and we recorded it: do not submit twice.
      if (task.upstreamTaskId) return { channelId: task.channelId, upstreamTaskId: task.upstreamTaskId };
      // Failed and refunded before it ever started (Temporal refused its start, and a replayed
      // Idempotency-Key started it later): the client was told; no upstream job for it now.
      if (task.status === 'FAILURE') throw ApplicationFailure.nonRetryable(`task ${taskId} was already ended: ${task.failReason}`, 'TaskClosed');
      const candidates = orderChannels(await channels.usable([ChannelType.suno]));
      if (candidates.length === 0) throw ApplicationFailure.retryable('no enabled Suno channel (type 36)', 'NoChannel');
      const action = task.action === 'LYRICS' ? 'lyrics' : 'music';
      const problems: string[] = [];
      for (const channel of candidates) {
        let upstreamTaskId: string;
        try {
          upstreamTaskId = await deps.suno.submit(channel, action, (task.properties.input ?? {}) as Record<string, unknown>);
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          if (err.status === 400 || err.status === 422)
            throw ApplicationFailure.nonRetryable(`upstream rejected the request: ${err.message}`, 'UpstreamRejected');
          problems.push(`channel ${channel.id}: ${err.message}`);
          log.warn('suno submit failed on channel', { taskId, channelId: channel.id, error: err.message });
          continue;
        }
        await recordAccepted(`suno ${taskId}`, () =>
          tasks.apply(taskId, seq, { channelId: channel.id, upstreamTaskId, status: 'SUBMITTED', progress: '10%', submitTime: nowSeconds() }),
        );
        return { channelId: channel.id, upstreamTaskId };
      }
      throw ApplicationFailure.retryable(`every Suno channel failed: ${problems.join('; ')}`, 'AllChannelsFailed');
    },

    /** Writes what the upstream reported; returns the status it maps to. */
    async recordSunoSnapshot({ taskId, seq, snapshot }: { taskId: string; seq: number; snapshot: SunoUpstreamTask }) {
      const task = await mustTask(taskId);
      const failed = snapshot.status === 'FAILURE' || (snapshot.status !== 'SUCCESS' && !!snapshot.fail_reason);
      const status: TaskStatusValue = failed ? 'FAILURE' : snapshot.status === 'UNKNOWN' ? task.status : snapshot.status;
      const progress = TASK_PROGRESS[status] ?? task.progress;
      const failReason = failed ? snapshot.fail_reason || 'the upstream reported a failure' : '';
      await tasks.apply(taskId, seq, {
        status: failed ? task.status : status, // FAILURE itself is written by failSunoTask, together with the refund
        progress: failed ? task.progress : progress,
        startTime: snapshot.start_time || task.startTime,
        finishTime: status === 'SUCCESS' ? snapshot.finish_time || nowSeconds() : task.finishTime,
        data: snapshot.data ?? task.data,
      });
      return { status, progress, failReason };
    },

    /** Marks the task failed with its reason and refunds its charge; both are idempotent. */
    async failSunoTask({ taskId, seq, reason }: { taskId: string; seq: number; reason: string }) {
      await mustTask(taskId);
      return tasks.failAndRefund(taskId, seq, reason);
    },

    /** The per-task fallback: ask the upstream directly unless the batched poller saw the task recently. */
    async checkSunoTask({ taskId, freshSeconds }: { taskId: string; freshSeconds: number }) {
      return checkUnlessPolled(await mustTask(taskId), freshSeconds, channels, (channel, id) => deps.suno.fetchOne(channel, id));
    },
  };
}

/**
 * One round of the Suno poller: one fetch per channel carrying all its in-flight tasks,
 * then a restart of any task stranded before its workflow began.
 */
export function createSunoPoller(deps: SunoActivityDeps): () => Promise<PollSummary> {
  const { tasks, channels } = deps.services;
  const batchSize = deps.batchSize ?? 1000;
  // The same news goes out again only after a minute, in case a workflow really missed it.
  const memo = new SignalMemo(60_000);
  return async () => {
    const summary = await pollInBatches<ITask, SunoUpstreamTask>({
      platform: 'suno',
      groups: await tasks.inFlightByChannel('suno', 100_000),
      batchSize,
      channel: (id) => channels.get(id),
      fetch: (channel, ids) => deps.suno.fetchMany(channel, ids),
      upstreamId: (snapshot) => snapshot.task_id,
      changed,
      markPolled: (ids) => tasks.markPolled(ids),
      memo,
      signal: (task, snapshot) => deps.workflows.suno.signal(task.taskId, snapshot),
    });
    for (const task of await tasks.stranded('suno', STRANDED_AFTER_SECONDS, STRANDED_PER_ROUND)) {
      try {
        await deps.workflows.suno.start(task);
        summary.stranded++;
      } catch (err) {
        log.warn('restart of stranded task failed', { taskId: task.taskId, error: String(err) });
      }
    }
    return summary;
  };
}

/** Worth a signal: anything the task's projection would show differently. */
function changed(task: Pick<ITask, 'status' | 'data'>, snapshot: SunoUpstreamTask): boolean {
  if (snapshot.status !== task.status) return true;
  return JSON.stringify(snapshot.data ?? null) !== JSON.stringify(task.data ?? null);
}

export type SunoActivities = ReturnType<typeof createSunoActivities>;
