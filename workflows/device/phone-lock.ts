import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { historyFull } from '../history-budget';
import type { DeviceActivities } from '../../activities/device-tasks';
import { lockGranted, lockStateQuery, releaseLock, requestLock, type LockRequest, type PhoneLockState } from './definitions';

const { isRunOpen } = proxyActivities<DeviceActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 3 } });

/** Idle this long with nobody waiting, the lock ends; longer than the largest allowed max_interval. */
const IDLE_LIFETIME_MS = 25 * 3600_000;
/** Budget of locks started before PhoneLockState carried one. */
const HISTORY_LIMIT = 8_000;
const RECENT_RELEASES_KEPT = 200;
/** Runs recorded before the lock could continue as new while held replay without it (docs/operations.md, "Before a deploy"). */
export const LOCK_CONTINUES_WHILE_HELD = 'phone-lock-continues-while-held';

/**
 * The mutex of one phone (`phone-<serial>`): task runs ask for it by signal (with start),
 * get it one at a time — among those waiting, the earliest due first — and give it back by
 * signal when they end, however they end. Between two holders it keeps the later one's min/max interval.
 * A holder that vanished without giving it back (terminated, reset) is noticed by a
 * periodic check of its run and the phone passes on. Those checks run for as long as a
 * script may, so the lock continues as new whenever its history reaches its budget, idle
 * or held; a run continued while held goes on watching the same holder.
 */
export async function phoneLock(initial: PhoneLockState): Promise<void> {
  const state: PhoneLockState = initial;
  const holds = (requestId: string) => state.holder?.request.requestId === requestId;
  // Those older runs compared with `> HISTORY_LIMIT`; historyFull compares with `>=`.
  const budget = state.historyBudget ?? HISTORY_LIMIT + 1;
  const continueNow = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof phoneLock>(state);
  };

  setHandler(lockStateQuery, () => state);
  setHandler(requestLock, (request) => {
    const known = holds(request.requestId) || state.queue.some((q) => q.requestId === request.requestId) || state.recentlyReleased.includes(request.requestId);
    if (known) return;
    // Earliest due first, then creation order: a request that arrived a moment late keeps its turn.
    const later = state.queue.findIndex((q) => q.dueAt > request.dueAt || (q.dueAt === request.dueAt && q.taskId > request.taskId));
    state.queue.splice(later === -1 ? state.queue.length : later, 0, request);
  });
  setHandler(releaseLock, ({ requestId }) => {
    if (holds(requestId)) release();
    else state.queue = state.queue.filter((q) => q.requestId !== requestId);
    state.recentlyReleased = [...state.recentlyReleased.slice(-(RECENT_RELEASES_KEPT - 1)), requestId];
  });

  function release(): void {
    state.holder = null;
    state.lastReleasedAt = Date.now();
  }

  const mayContinueWhileHeld = patched(LOCK_CONTINUES_WHILE_HELD);
  if (state.holder) await holderDone(state.holder.request);

  for (;;) {
    if (!(await condition(() => state.queue.length > 0, IDLE_LIFETIME_MS))) return finish();
    const next = state.queue[0];
    if (!(await spacingKept(next))) continue;

    state.queue.shift();
    state.holder = { request: next, grantedAt: Date.now() };
    try {
      await getExternalWorkflowHandle(next.workflowId, next.runId).signal(lockGranted, { requestId: next.requestId });
    } catch {
      // The run ended while it waited: the phone goes to the next one, with no spacing owed.
      state.holder = null;
      continue;
    }
    await holderDone(next);

    if (state.holder === null && historyFull(workflowInfo(), budget)) await continueNow();
  }

  async function finish(): Promise<void> {
    await condition(allHandlersFinished);
  }

  /** Waits out the spacing owed before `next`; false if it left the head of the queue meanwhile. */
  async function spacingKept(next: LockRequest): Promise<boolean> {
    if (state.lastReleasedAt === null) return true;
    next.gapMs ??= next.minGapMs + Math.random() * Math.max(0, next.maxGapMs - next.minGapMs);
    const wait = state.lastReleasedAt + next.gapMs - Date.now();
    if (wait <= 0) return true;
    const headChanged = await condition(() => state.queue[0]?.requestId !== next.requestId, wait);
    return !headChanged;
  }

  async function holderDone(holder: LockRequest): Promise<void> {
    while (holds(holder.requestId)) {
      if (await condition(() => !holds(holder.requestId), state.checkMs)) return;
      const open = await isRunOpen({ workflowId: holder.workflowId, runId: holder.runId }).catch(() => true);
      if (!open && holds(holder.requestId)) release();
      else if (mayContinueWhileHeld && historyFull(workflowInfo(), budget)) await continueNow();
    }
  }
}
