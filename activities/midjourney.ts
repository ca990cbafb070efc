import { ApplicationFailure, log } from '@temporalio/activity';
import { ChannelStatus, ChannelType, type IChannel, type IMjTask } from '../db/entities';
import { MJ_STATUSES, type MjStatus } from '../domain';
import type { Services } from '../services';
import { UpstreamError } from '../services/upstream/http';
import type { MidjourneyClient, MjSubmitReply, MjUpstreamTask } from '../services/upstream/midjourney-client';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { PollSummary } from '../workflows/generation/definitions';
import type { MjSubmission } from '../workflows/midjourney/definitions';
import { pollInBatches } from './generation/batch-poll';
import { SignalMemo } from './generation/signal-memo';
import { orderChannels } from './generation/channel-order';
import { checkUnlessPolled } from './generation/fallback';
import { recordAccepted } from './generation/record-accepted';

export interface MidjourneyActivityDeps {
  services: Services;
  midjourney: MidjourneyClient;
  workflows: TaskWorkflows;
  /** Most task ids sent in one list-by-condition. */
  batchSize?: number;
  /** Set a channel that answers code 3 (no usable account) to auto-disabled. */
  autoDisableChannel?: boolean;
  /** After each projection write: starts the task's notifyHook delivery when its status moved. */
  afterWrite?: (before: IMjTask, seq: number, applied: boolean) => Promise<void>;
}

export interface MjSubmitted {
  submission: MjSubmission;
  status: MjStatus;
  progress: string;
  channelId: number;
  upstreamTaskId: string | null;
}

/** midjourney-proxy codes that mean "the job exists upstream": 1 submitted, 21 exists, 22 queued. */
const ACCEPTED = new Set([1, 21, 22]);
const NO_ACCOUNT = 3;
/** Worth another channel: 23 queue full, 3 no usable account on that proxy. */
const TRY_ELSEWHERE = new Set([23, NO_ACCOUNT]);

export function createMidjourneyActivities(deps: MidjourneyActivityDeps) {
  const { midjourney: tasks, channels } = deps.services;
  const afterWrite = deps.afterWrite ?? (async () => undefined);

  async function mustTask(mjId: string): Promise<IMjTask> {
    const task = await tasks.byMjId(mjId);
    if (!task) throw ApplicationFailure.nonRetryable(`midjourney task ${mjId} does not exist`, 'TaskNotFound');
    return task;
  }

  /** A child action may only run where its parent's job lives. */
  async function candidatesFor(task: IMjTask): Promise<IChannel[]> {
    if (task.channelId > 0) {
      const channel = await channels.get(task.channelId).catch(() => null);
      if (!channel || channel.status !== ChannelStatus.enabled) {
        throw ApplicationFailure.nonRetryable(`the parent task's channel ${task.channelId} is disabled or gone`, 'ChannelUnavailable');
      }
      return [channel];
    }
    return orderChannels(await channels.usable([ChannelType.midjourney, ChannelType.midjourneyPlus]));
  }

  return {
    /**
     * Submits to the first channel that takes the job. Queue-full and
     * no-account answers, rate limits, 5xx and timeouts move on to the next
     * channel; any other refusal (4 invalid, 24 banned prompt…) is the answer.
     */
    async submitMjTask({ mjId, seq }: { mjId: string; seq: number }): Promise<MjSubmitted> {
      const task = await mustTask(mjId);
      // Failed and refunded before it ever started (see submitSunoTask): no upstream job for it now.
      if (!task.upstreamTaskId && task.status === 'FAILURE')
        throw ApplicationFailure.nonRetryable(`midjourney task ${mjId} was already ended: ${task.failReason}`, 'TaskClosed');
      // A retried upload that already went through: answer with the URLs it got.
      if (task.action === 'UPLOAD' && task.status === 'SUCCESS') {
        return { submission: uploadAnswer(task), status: task.status, progress: task.progress, channelId: task.channelId, upstreamTaskId: null };
      }
      // A retry after the upstream accepted and we recorded it: do not submit twice.
      if (task.upstreamTaskId) {
        await afterWrite(task, seq, false);
        return {
          submission: { accepted: true, code: 1, description: 'Submit success', properties: {} },
          status: task.status,
          progress: task.progress,
          channelId: task.channelId,
          upstreamTaskId: task.upstreamTaskId,
        };
      }
      const candidates = await candidatesFor(task);
      if (candidates.length === 0) throw ApplicationFailure.retryable('no enabled Midjourney channel (type 2 or 5)', 'NoChannel');
      const problems: string[] = [];
      let busy: MjSubmitReply | undefined;
      for (const channel of candidates) {
        let reply: MjSubmitReply;
        try {
          reply = await deps.midjourney.submit(channel, task.request.route, task.request.body);
        } catch (err) {
          if (!(err instanceof UpstreamError)) throw err;
          problems.push(`channel ${channel.id}: ${err.message}`);
          log.warn('midjourney submit failed on channel', { mjId, channelId: channel.id, error: err.message });
          continue;
        }
        // An upload is done once the upstream answers its URLs: no task to follow (new-api marks it SUCCESS at once).
        if (task.action === 'UPLOAD' && reply.code === 1 && reply.urls) {
          const now = Date.now();
          const urls = reply.urls;
          await recordAccepted(`midjourney upload ${mjId}`, () =>
            tasks.apply(mjId, seq, {
              channelId: channel.id,
              code: 1,
              status: 'SUCCESS',
              progress: '100%',
              description: reply.description,
              startTime: now,
              finishTime: now,
              imageUrl: urls[0] ?? '',
              properties: { uploadedUrls: urls },
            }),
          );
          return {
            submission: { accepted: true, code: 1, description: reply.description, properties: reply.properties, uploaded: reply.urls },
            status: 'SUCCESS',
            progress: '100%',
            channelId: channel.id,
            upstreamTaskId: null,
          };
        }
        if (ACCEPTED.has(reply.code) && reply.result) {
          const modal = reply.properties.status === 'MODAL';
          const status: MjStatus = modal ? 'MODAL' : 'SUBMITTED';
          const upstreamTaskId = reply.result;
          const applied = await recordAccepted(`midjourney ${mjId}`, () =>
            tasks.apply(mjId, seq, { channelId: channel.id, upstreamTaskId, code: reply.code, status, description: reply.description }),
          );
          await afterWrite(task, seq, applied);
          // As new-api: 22 (queued) and 21 (exists) read as success, except a modal that waits for /submit/modal.
          const code = reply.code === 21 && modal ? 21 : 1;
          return {
            submission: { accepted: true, code, description: reply.description, properties: reply.properties },
            status,
            progress: '0%',
            channelId: channel.id,
            upstreamTaskId: reply.result,
          };
        }
        if (TRY_ELSEWHERE.has(reply.code)) {
          // As new-api: a proxy without a usable account will refuse every job until someone fixes it.
          if (reply.code === NO_ACCOUNT && deps.autoDisableChannel) {
            if (await channels.autoDisable(channel.id))
              log.warn('midjourney channel auto-disabled: no usable account', { channelId: channel.id, description: reply.description });
          }
          busy = reply;
          problems.push(`channel ${channel.id}: code ${reply.code} ${reply.description}`);
          continue;
        }
        await tasks.apply(mjId, seq, { channelId: channel.id, code: reply.code });
        return { submission: refusal(reply), status: 'FAILURE', progress: '100%', channelId: channel.id, upstreamTaskId: null };
      }
      if (busy) return { submission: refusal(busy), status: 'FAILURE', progress: '100%', channelId: task.channelId, upstreamTaskId: null };
      throw ApplicationFailure.retryable(`every Midjourney channel failed: ${problems.join('; ')}`, 'AllChannelsFailed');
    },

    /** Writes what the upstream reported; returns the status it maps to (FAILURE is written by failMjTask). */
    async recordMjSnapshot({ mjId, seq, snapshot }: { mjId: string; seq: number; snapshot: MjUpstreamTask }) {
      const task = await mustTask(mjId);
      const mapped = (MJ_STATUSES as readonly string[]).includes(snapshot.status) ? (snapshot.status as MjStatus) : task.status;
      // new-api's rule: a failure reason before 100%, or FAILURE at 100%, is a failed job.
      const failed = mapped === 'FAILURE' || (snapshot.progress !== '100%' && !!snapshot.failReason);
      const status: MjStatus = failed ? 'FAILURE' : mapped;
      const progress = status === 'SUCCESS' ? '100%' : snapshot.progress || task.progress;
      const applied = await tasks.apply(mjId, seq, {
        status: failed ? task.status : status,
        progress: failed ? task.progress : progress,
        promptEn: snapshot.promptEn ?? task.promptEn,
        description: snapshot.description ?? task.description,
        state: snapshot.state ?? task.state,
        startTime: snapshot.startTime ?? task.startTime,
        finishTime: status === 'SUCCESS' ? snapshot.finishTime || Date.now() : task.finishTime,
        imageUrl: snapshot.imageUrl ?? task.imageUrl,
        videoUrl: snapshot.videoUrl ?? task.videoUrl,
        // As new-api stores them: video URLs are what the upstream sends now (none clears
        // them); buttons and properties are replaced only when the upstream sends some.
        videoUrls: snapshot.videoUrls && snapshot.videoUrls.length ? snapshot.videoUrls : null,
        buttons: snapshot.buttons ?? task.buttons,
        properties: snapshot.properties ?? task.properties,
      });
      await afterWrite(task, seq, applied);
      return { status, progress, failReason: failed ? snapshot.failReason || 'the upstream reported a failure' : '' };
    },

    /** Marks the task failed with its reason and gives its price back; both are idempotent. */
    async failMjTask({ mjId, seq, reason, code }: { mjId: string; seq: number; reason: string; code?: number }) {
      const before = await mustTask(mjId);
      const outcome = await tasks.failAndRefund(mjId, seq, reason, code ? { code } : {});
      // Whether this attempt or an earlier one wrote FAILURE, the delivery id makes it one notification.
      await afterWrite(before, seq, false);
      return outcome;
    },

    /** The per-task fallback: ask the upstream directly unless the batched poller saw the task recently. */
    async checkMjTask({ mjId, freshSeconds }: { mjId: string; freshSeconds: number }) {
      return checkUnlessPolled(await mustTask(mjId), freshSeconds, channels, (channel, id) => deps.midjourney.fetchOne(channel, id));
    },
  };
}

/** A task this old that never reached an upstream may have no workflow. */
const STRANDED_AFTER_SECONDS = 60;
const STRANDED_PER_ROUND = 100;

/**
 * One round of the Midjourney poller: one `list-by-condition` per channel carrying all
 * its in-flight tasks, then a sweep of tasks whose workflow never started.
 */
export function createMjPoller(deps: MidjourneyActivityDeps): () => Promise<PollSummary> {
  const { midjourney: tasks, channels } = deps.services;
  const batchSize = deps.batchSize ?? 1000;
  // The same news goes out again only after a minute, in case a workflow really missed it.
  const memo = new SignalMemo(60_000);

  /**
   * A task whose workflow never started was never answered to its client (the
   * relay replies only after the start), so it is not submitted late: it is
   * failed and refunded. Tasks whose workflow exists are left to it.
   */
  async function abandonStranded(): Promise<number> {
    let abandoned = 0;
    for (const task of await tasks.stranded(STRANDED_AFTER_SECONDS, STRANDED_PER_ROUND)) {
      // Temporal not answering is no proof the workflow is missing: leave the task for the next round.
      const exists = await deps.workflows.midjourney.exists(task.mjId).catch(() => true);
      if (exists) continue;
      await tasks.abandon(task.mjId, 'the task was never started: the relay stopped before handing it to Temporal');
      abandoned++;
    }
    return abandoned;
  }

  return async () => {
    const summary = await pollInBatches<IMjTask, MjUpstreamTask>({
      platform: 'midjourney',
      groups: await tasks.inFlightByChannel(100_000),
      batchSize,
      channel: (id) => channels.get(id),
      fetch: (channel, ids) => deps.midjourney.fetchMany(channel, ids),
      upstreamId: (snapshot) => snapshot.id,
      changed,
      markPolled: (ids) => tasks.markPolled(ids),
      memo,
      signal: (task, snapshot) => deps.workflows.midjourney.signal(task.mjId, snapshot),
    });
    summary.stranded = await abandonStranded();
    return summary;
  };
}

function uploadAnswer(task: IMjTask): MjSubmission {
  const urls = task.properties?.uploadedUrls;
  return { accepted: true, code: 1, description: task.description, properties: {}, uploaded: Array.isArray(urls) ? (urls as string[]) : [] };
}

function refusal(reply: MjSubmitReply): MjSubmission {
  return {
    accepted: false,
    code: reply.code,
    description: reply.description || `the upstream refused the task (code ${reply.code})`,
    properties: reply.properties,
  };
}

/** Worth a signal: anything the task's projection would show differently. */
function changed(task: IMjTask, snapshot: MjUpstreamTask): boolean {
  return (
    snapshot.status !== task.status ||
    (snapshot.progress ?? '') !== task.progress ||
    (snapshot.imageUrl ?? '') !== task.imageUrl ||
    (snapshot.failReason ?? '') !== task.failReason ||
    (snapshot.videoUrl ?? '') !== task.videoUrl ||
    (snapshot.promptEn ?? '') !== task.promptEn ||
    JSON.stringify(snapshot.buttons ?? null) !== JSON.stringify(task.buttons ?? null)
  );
}

export type MidjourneyActivities = ReturnType<typeof createMidjourneyActivities>;
