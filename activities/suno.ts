import { ApplicationFailure, log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ChannelType, type ITask, type TaskStatusValue } from '../db/entities';
import type { Services } from '../services';
import { taskRef } from '../services/tasks';
import { UpstreamError } from '../services/upstream/http';
import type { SunoClient, SunoUpstreamTask } from '../services/upstream/suno-client';
import { sunoWorkflowId, upstreamUpdate } from '../workflows/suno/definitions';
import { pollInBatches, type PollSummary } from './batch-poll';
import { orderChannels } from './channel-order';
import { startSunoWorkflow, type SunoStartConfig } from './suno-start';

export interface SunoActivityDeps {
  services: Services;
  suno: SunoClient;
  client: Client;
  start: SunoStartConfig;
  /** Most task ids sent in one batched fetch. */
  batchSize?: number;
}

const PROGRESS: Partial<Record<TaskStatusValue, string>> = {
  NOT_START: '0%',
  SUBMITTED: '10%',
  QUEUED: '20%',
  IN_PROGRESS: '50%',
  SUCCESS: '100%',
  FAILURE: '100%',
};

export function createSunoActivities(deps: SunoActivityDeps) {
  const { tasks, channels, ledger } = deps.services;
  const batchSize = deps.batchSize ?? 1000;

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
      const candidates = orderChannels(await channels.usable([ChannelType.suno]));
      if (candidates.length === 0) throw ApplicationFailure.retryable('no enabled Suno channel (type 36)', 'NoChannel');
      const action = task.action === 'LYRICS' ? 'lyrics' : 'music';
      const problems: string[] = [];
      for (const channel of candidates) {
        try {
          const upstreamTaskId = await deps.suno.submit(channel, action, (task.properties.input ?? {}) as Record<string, unknown>);
          await tasks.apply(taskId, seq, { channelId: channel.id, upstreamTaskId, status: 'SUBMITTED', progress: '10%', submitTime: nowSeconds() });
          return { channelId: channel.id, upstreamTaskId };
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          if (err.status === 400 || err.status === 422)
            throw ApplicationFailure.nonRetryable(`upstream rejected the request: ${err.message}`, 'UpstreamRejected');
          problems.push(`channel ${channel.id}: ${err.message}`);
          log.warn('suno submit failed on channel', { taskId, channelId: channel.id, error: err.message });
        }
      }
      throw ApplicationFailure.retryable(`every Suno channel failed: ${problems.join('; ')}`, 'AllChannelsFailed');
    },

    /** Writes what the upstream reported; returns the status it maps to. */
    async recordSunoSnapshot({ taskId, seq, snapshot }: { taskId: string; seq: number; snapshot: SunoUpstreamTask }) {
      const task = await mustTask(taskId);
      const failed = snapshot.status === 'FAILURE' || (snapshot.status !== 'SUCCESS' && !!snapshot.fail_reason);
      const status: TaskStatusValue = failed ? 'FAILURE' : snapshot.status === 'UNKNOWN' ? task.status : snapshot.status;
      const progress = PROGRESS[status] ?? task.progress;
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
      const task = await mustTask(taskId);
      const refund = await ledger.refund(taskRef(task), reason.slice(0, 255));
      await tasks.apply(taskId, seq, { status: 'FAILURE', progress: '100%', failReason: reason, finishTime: task.finishTime || nowSeconds(), quota: 0 });
      return { refunded: refund.applied || refund.entry !== null };
    },

    /**
     * The per-task fallback. If the batched poller found the task upstream
     * recently, nothing to do; otherwise ask the upstream directly (the poller
     * may be down, or the upstream left this id out). `snapshot` is null when
     * the upstream does not know the task.
     */
    async checkSunoTask({
      taskId,
      freshSeconds,
    }: {
      taskId: string;
      freshSeconds: number;
    }): Promise<{ seenByPoller: boolean; snapshot: SunoUpstreamTask | null }> {
      const task = await mustTask(taskId);
      if (nowSeconds() - task.polledAt <= freshSeconds) return { seenByPoller: true, snapshot: null };
      const channel = await channels.get(task.channelId);
      return { seenByPoller: false, snapshot: await deps.suno.fetchOne(channel, task.upstreamTaskId!) };
    },

    /**
     * One round of batched polling (one fetch per channel for all its in-flight
     * tasks), then a restart of any task stranded before its workflow began.
     */
    async pollSunoChannels(): Promise<PollSummary> {
      const summary = await pollInBatches<ITask, SunoUpstreamTask>({
        platform: 'suno',
        groups: await tasks.inFlightByChannel('suno', 100_000),
        batchSize,
        channel: (id) => channels.get(id),
        fetch: (channel, ids) => deps.suno.fetchMany(channel, ids),
        upstreamId: (snapshot) => snapshot.task_id,
        changed,
        markPolled: (ids) => tasks.markPolled(ids),
        signal: (task, snapshot) => signal(task.taskId, snapshot),
      });
      for (const task of await tasks.stranded('suno', 60, 100)) {
        await startSunoWorkflow(deps.client, deps.start, task.taskId).catch((err) =>
          log.warn('restart of stranded task failed', { taskId: task.taskId, error: String(err) }),
        );
      }
      return summary;
    },
  };

  async function signal(taskId: string, snapshot: SunoUpstreamTask): Promise<boolean> {
    try {
      await deps.client.workflow.getHandle(sunoWorkflowId(taskId)).signal(upstreamUpdate, snapshot);
      return true;
    } catch (err) {
      // A workflow that already finished needs no news.
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }
}

/** Worth a signal: anything the task's projection would show differently. */
function changed(task: Pick<ITask, 'status' | 'data'>, snapshot: SunoUpstreamTask): boolean {
  if (snapshot.status !== task.status) return true;
  return JSON.stringify(snapshot.data ?? null) !== JSON.stringify(task.data ?? null);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export type SunoActivities = ReturnType<typeof createSunoActivities>;
