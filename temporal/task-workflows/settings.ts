import type { Config } from '../../lib/config';

/** The part of the configuration that decides how task workflows are started. */
export type WorkflowSettings = Pick<Config, 'temporal' | 'taskTimeoutMinutes' | 'taskPollIntervalSeconds' | 'taskFallbackSeconds' | 'devices'>;

/**
 * Silence from the batched poller this long means it is down or the id went missing. Not tied
 * to a short poll interval: every quiet task wakes once per spell, so at 10,000 tasks in flight
 * a spell of 4 × 2 s woke over a thousand workflows a second.
 */
export const fallbackPollSeconds = (settings: WorkflowSettings) => Math.max(settings.taskFallbackSeconds, settings.taskPollIntervalSeconds * 2, 2);
