/**
 * Every projection row carries `seq`, the sequence number of the last write applied to it;
 * a write with a lower or equal number is ignored, so a retried or late activity never
 * undoes newer state.
 *
 * Generation tasks number their writes 1, 2, 3… within their one workflow. Device tasks
 * can run several times (retries), so each attempt writes above every earlier one:
 * `attempt × SEQ_PER_ATTEMPT + step`.
 */
export const SEQ_PER_ATTEMPT = 10_000;

/** A write that must win over anything a generation workflow still sends (abandoning a task that never started). */
export const FINAL_SEQ = 2_000_000_000;

export const attemptSeq = (attempt: number, step: number) => attempt * SEQ_PER_ATTEMPT + step;

/** The last number of an attempt: a write that must win over anything that attempt still sends. */
export const finalSeqOfAttempt = (attempt: number) => attemptSeq(attempt, SEQ_PER_ATTEMPT - 1);
