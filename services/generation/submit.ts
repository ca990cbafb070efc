/**
 * The submit path every generation platform shares: the row and its charge are
 * committed first (so "not enough quota" is an immediate refusal and nothing exists
 * afterwards), then its workflow starts. If Temporal refuses the start, the task is
 * failed and refunded at once rather than left for a sweep. A replayed idempotency key
 * starts the workflow too: the first request may have died between commit and start.
 */
export async function createThenStart<T>(steps: {
  create(): Promise<{ task: T; created: boolean }>;
  start(task: T): Promise<void>;
  abandon(task: T, reason: string): Promise<void>;
}): Promise<{ task: T; created: boolean }> {
  const created = await steps.create();
  try {
    await steps.start(created.task);
  } catch (err) {
    if (created.created) await steps.abandon(created.task, 'the task could not be started: Temporal is unavailable');
    throw err;
  }
  return created;
}
