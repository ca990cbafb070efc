import type { Config } from '../../lib/config';
import type { FollowTimes } from '../../workflows/generation/follow-upstream';

/** The part of the configuration that decides how task workflows are started. */
export type WorkflowSettings = Pick<Config, 'temporal' | 'taskTimeoutMinutes' | 'taskPollIntervalSeconds' | 'devices'> & {
  midjourney: Pick<Config['midjourney'], 'notify'>;
};

/** Silence from the batched poller for a few rounds means it is down or the id went missing. */
export const fallbackPollSeconds = (settings: WorkflowSettings) => Math.max(settings.taskPollIntervalSeconds * 4, 2);

/** How long a generation task is followed, and how much history one run of it may collect. */
export const followTimes = (settings: WorkflowSettings): FollowTimes => ({
  timeoutMinutes: settings.taskTimeoutMinutes,
  fallbackPollSeconds: fallbackPollSeconds(settings),
  historyBudget: settings.temporal.historyBudget,
});
