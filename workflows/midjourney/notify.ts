import { log, proxyActivities } from '@temporalio/workflow';
import type { MjNotifyActivities } from '../../activities/midjourney-notify';
import type { MjNotifyInput } from './definitions';

/**
 * Delivers one notifyHook callback. Its own small workflow (not a step of `mj-<id>`), so a
 * receiver that is down for hours neither holds the task's workflow nor loses the call:
 * the activity is retried with backoff until the delivery's lifetime ends, and a delivery
 * that never got through ends as a failed workflow an operator can find.
 */
export async function mjNotify(input: MjNotifyInput): Promise<{ delivered: true }> {
  const { deliverMjNotification } = proxyActivities<MjNotifyActivities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: input.lifetimeMs,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['HookBlocked', 'HookGone'] },
  });
  try {
    await deliverMjNotification(input);
  } catch (err) {
    log.warn('notifyHook delivery given up', { mjId: input.mjId, status: input.status, error: String(err) });
    throw err;
  }
  return { delivered: true };
}
