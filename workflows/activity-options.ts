import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Every activity heartbeats while it runs (activities/keep-alive.ts), so an attempt on a
 * worker that died is given up after this, not after its start-to-close timeout.
 */
const DEAD_WORKER_NOTICED = '15 seconds';

/**
 * How generation workflows call their activities. Submitting tries every usable
 * channel inside one attempt, so attempts only add backoff between rounds;
 * `nonRetryable` names the failures another round cannot fix.
 */
export const submitOptions = (nonRetryable: string[]): ActivityOptions => ({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: nonRetryable },
});

/** The per-task fallback check: cheap to skip, since the next quiet spell checks again. */
export const checkOptions: ActivityOptions = { startToCloseTimeout: '2 minutes', heartbeatTimeout: DEAD_WORKER_NOTICED, retry: { maximumAttempts: 2 } };

/** Bookkeeping (projection writes, refunds) must eventually succeed whatever the database is doing: no attempt limit. */
export const bookkeepingOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: { initialInterval: '1s', maximumInterval: '30 seconds' },
};

/** One batched poll round; a failed round is simply skipped, so a few attempts are enough. */
export const pollRoundOptions: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: DEAD_WORKER_NOTICED,
  retry: { initialInterval: '1s', maximumInterval: '30 seconds', maximumAttempts: 3 },
};
