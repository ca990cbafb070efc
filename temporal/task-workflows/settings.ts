import type { Config } from '../../lib/config';
import type { FollowTimes } from '../../workflows/generation/follow-upstream';

/** The part of the configuration that decides how task workflows are started. */
export type WorkflowSettings = Pick<Config, 'temporal' | 'taskTimeoutMinutes' | 'taskPollIntervalSeconds' | 'taskFallbackSeconds' | 'devices'> & {
  midjourney: Pick<Config['midjourney'], 'notify'>;
};

/**
 * Silence from the batched poller this long means it is down or the id went missing. Not tied
 * to a short poll interval: every quiet task wakes once per spell, so at 10,000 tasks in flight
 * a spell of 4 × 2 s woke over a thousand workflows a second.
 */
export const fallbackPollSeconds = (settings: WorkflowSettings) => Math.max(settings.taskFallbackSeconds, settings.taskPollIntervalSeconds * 2, 2);

/** How long a generation task is followed, and how much history one run of it may collect. */
export const followTimes = (settings: WorkflowSettings): FollowTimes => ({
  timeoutMinutes: settings.taskTimeoutMinutes,
  fallbackPollSeconds: fallbackPollSeconds(settings),
  historyBudget: settings.temporal.historyBudget,
});
