import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';

/**
 * Reruns a whole transaction that MySQL chose as a deadlock victim. Counter cells are
 * locked in one order, but InnoDB's gap locks on a first insert of two new cells can still
 * cross; the loser's transaction was rolled back, so running it again is safe.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      const retryable = err instanceof DeadlockException || err instanceof LockWaitTimeoutException;
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
