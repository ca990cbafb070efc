import { ApplicationFailure, log } from '@temporalio/activity';
import type { IMjTask } from '../db/entities';
import type { Config } from '../lib/config';
import type { Services } from '../services';
import { HookError, postHook } from '../services/media/hook-post';
import { DELIVERY_HEADER, signNotification, SIGNATURE_HEADER } from '../services/midjourney/notify';
import { toMjTaskJson } from '../services/midjourney/task-json';
import type { TaskWorkflows } from '../temporal/task-workflows';
import type { MjNotifyInput } from '../workflows/midjourney/definitions';

export interface MjNotifyDeps {
  services: Pick<Services, 'midjourney'>;
  workflows: Pick<TaskWorkflows, 'midjourney'>;
  config: Pick<Config, 'serverAddress' | 'midjourney'>;
}

/**
 * Called after each projection write of a task: starts the notification for the status
 * the row now has. A write that left the status as it was sends nothing. A write that an
 * earlier attempt of the same activity applied (and whose start may then have failed)
 * starts it again, which the delivery's workflow id makes the same delivery, so a
 * notification is neither lost nor sent twice.
 */
export function createMjNotifier(deps: MjNotifyDeps) {
  const policy = { forward: deps.config.midjourney.forwardUrls, serverAddress: deps.config.serverAddress };
  return async function afterWrite(before: IMjTask, seq: number, applied: boolean): Promise<void> {
    if (!deps.config.midjourney.notify.enabled || !before.request?.notify) return;
    const row = await deps.services.midjourney.byMjId(before.mjId);
    // Only tasks an upstream took: the client holds their id. A newer write notifies for itself.
    if (!row || !row.upstreamTaskId || (!applied && row.seq !== seq)) return;
    if (applied && row.status === before.status) return;
    await deps.workflows.midjourney.notify({ mjId: row.mjId, status: row.status, payload: toMjTaskJson(row, policy) });
  };
}

export function createMjNotifyActivities(deps: MjNotifyDeps) {
  const { allowedHosts, timeoutSeconds } = deps.config.midjourney.notify;
  return {
    /** One attempt at POSTing the task's JSON to its hook; any failure is retried by the workflow until its lifetime ends. */
    async deliverMjNotification(input: MjNotifyInput): Promise<{ status: number }> {
      const task = await deps.services.midjourney.byMjId(input.mjId);
      const target = task?.request?.notify;
      if (!target) throw ApplicationFailure.nonRetryable(`task ${input.mjId} has no notifyHook`, 'HookGone');
      const body = JSON.stringify(input.payload);
      const headers = {
        [SIGNATURE_HEADER]: signNotification(body, target.keyDigest, Math.floor(Date.now() / 1000)),
        [DELIVERY_HEADER]: input.deliveryId,
      };
      try {
        return { status: await postHook(target.url, body, headers, { allowedHosts, timeoutMs: timeoutSeconds * 1000 }) };
      } catch (err) {
        if (!(err instanceof HookError)) throw err;
        log.warn('notifyHook attempt failed', { mjId: input.mjId, status: input.status, error: err.message });
        // An address the guard refuses now will not become acceptable by retrying.
        if (err.kind === 'blocked' || err.kind === 'bad_url') throw ApplicationFailure.nonRetryable(`notifyHook refused: ${err.message}`, 'HookBlocked');
        throw ApplicationFailure.retryable(`notifyHook: ${err.message}`, 'HookFailed');
      }
    },
  };
}

export type MjNotifyActivities = ReturnType<typeof createMjNotifyActivities>;
