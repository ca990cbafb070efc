import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeviceActivities } from '../../activities/device-tasks';
import type { DeviceScriptActivities } from '../../activities/device-script';
import { TaskStatus } from '../search-attributes';
import { attemptSeq, DeviceTaskStatus } from '../../domain';
import { deviceStatusQuery, lockGranted, stopSignal, type DeviceTaskInput, type DeviceTaskState, type LockRequest } from './definitions';

// Short bookkeeping (a row update, a signal) runs as local activities: no round trip through
// the task queue between the due time and the script. It must eventually succeed whatever
// the database is doing: retry without limit.
const { recordDeviceTask, enqueueOnPhone, releasePhone } = proxyLocalActivities<DeviceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1s', maximumInterval: '30 seconds' },
});

/** While queued, ask again this often: a lock workflow lost by an operator is started afresh. */
const REQUEST_AGAIN_MS = 10 * 60_000;
/** Retries that cannot help: the config is wrong. */
const NOT_RETRYABLE = ['invalid_config'];

interface Outcome {
  status: typeof DeviceTaskStatus.completed | typeof DeviceTaskStatus.failed;
  remark: string;
  retryable: boolean;
  stopped: boolean;
}

/**
 * One device task (`device-<id>`): wait for its start time, queue for its phone, run the
 * script holding the phone, record how it ended, give the phone back. A stop lands in
 * any of those stages; a failure may be retried automatically as a new run.
 */
export async function deviceTask(input: DeviceTaskInput): Promise<DeviceTaskState> {
  const { runDeviceScript } = proxyActivities<DeviceScriptActivities>({
    startToCloseTimeout: `${input.scriptTimeoutMinutes} minutes`,
    // Short, so a stop reaches the script within a few seconds, and a dead worker is noticed as fast.
    heartbeatTimeout: '5 seconds',
    // The phone is released only once the script has closed its Appium session.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    // Re-running half a script (a post, a comment) is not safe; task-level retries decide.
    retry: { maximumAttempts: 1 },
  });

  const info = workflowInfo();
  const state: DeviceTaskState = { phase: 'scheduled', remark: '', attempt: input.attempt };
  const request: LockRequest = {
    requestId: `${info.workflowId}/${info.runId}`,
    workflowId: info.workflowId,
    runId: info.runId,
    dueAt: input.dueAt,
    taskId: input.taskId,
    minGapMs: input.spacingMs.min,
    maxGapMs: input.spacingMs.max,
  };
  const stoppable = new CancellationScope();
  let stopReason: string | undefined;
  let granted = false;
  let step = 0;
  const record = (patch: Parameters<typeof recordDeviceTask>[0]['patch']) =>
    recordDeviceTask({ taskId: input.taskId, seq: attemptSeq(input.attempt, ++step), patch });

  setHandler(deviceStatusQuery, () => state);
  setHandler(lockGranted, ({ requestId }) => {
    if (requestId === request.requestId) granted = true;
  });
  setHandler(stopSignal, ({ reason }) => {
    stopReason ??= reason;
    stoppable.cancel();
  });

  let queued = false;
  let outcome: Outcome | 'superseded';
  try {
    outcome = await stoppable.run(async () => {
      // 1. Its start time.
      if (input.runAt !== null && input.runAt > Date.now()) await sleep(input.runAt - Date.now());

      // 2. Its turn on the phone, in the order tasks asked for it.
      state.phase = 'queued';
      queued = true;
      await CancellationScope.nonCancellable(() => enqueueOnPhone({ serial: input.serial, request, checkMs: input.lockCheckMs }));
      while (!(await condition(() => granted, REQUEST_AGAIN_MS))) {
        await CancellationScope.nonCancellable(() => enqueueOnPhone({ serial: input.serial, request, checkMs: input.lockCheckMs }));
      }

      // 3. The script. A task deleted or ended by hand meanwhile is not run.
      if (!(await record({ status: DeviceTaskStatus.running, startedAt: Date.now(), endedAt: null, remark: '' }))) return 'superseded' as const;
      state.phase = 'running';
      upsertSearchAttributes([{ key: TaskStatus, value: 'running' }]);
      try {
        const result = await runDeviceScript({ taskId: input.taskId, attempt: input.attempt });
        return { status: DeviceTaskStatus.completed, remark: result.remark, retryable: false, stopped: false };
      } catch (err) {
        if (isCancellation(err)) throw err;
        return failureOf(err);
      }
    });
  } catch (err) {
    if (!isCancellation(err)) throw err;
    outcome = { status: DeviceTaskStatus.failed, remark: stopReason ?? 'stopped: the workflow was cancelled', retryable: false, stopped: true };
  }

  // 4. Record the end, then free the phone: the next task on it starts after this one ended.
  await CancellationScope.nonCancellable(async () => {
    if (outcome !== 'superseded') await record({ status: outcome.status, remark: outcome.remark, endedAt: Date.now() });
    if (queued) await releasePhone({ serial: input.serial, requestId: request.requestId });
  });
  if (outcome === 'superseded') {
    state.phase = 'stopped';
    return state;
  }
  state.phase = outcome.stopped ? 'stopped' : outcome.status === DeviceTaskStatus.completed ? 'completed' : 'failed';
  state.remark = outcome.remark;
  upsertSearchAttributes([{ key: TaskStatus, value: outcome.status === DeviceTaskStatus.completed ? 'completed' : 'failed' }]);

  // 5. Automatic retry, when enabled: a fresh run after a random pause, counted in retry_count.
  const retry = input.autoRetry;
  if (outcome.status === DeviceTaskStatus.failed && outcome.retryable && retry.enabled && input.attempt < retry.maxRetries && stopReason === undefined) {
    const delayMs = Math.round(retry.minDelayMs + Math.random() * (retry.maxDelayMs - retry.minDelayMs));
    const next = input.attempt + 1;
    const runAt = Date.now() + delayMs;
    const accepted = await recordDeviceTask({
      taskId: input.taskId,
      seq: attemptSeq(next, 0),
      patch: {
        status: DeviceTaskStatus.pending,
        retryCount: next,
        runAt,
        startedAt: null,
        endedAt: null,
        remark: `retry ${next} in ${Math.round(delayMs / 1000)} s after: ${outcome.remark}`,
      },
    });
    // A stop that came while the retry was being recorded still wins.
    if (accepted && stopReason !== undefined) {
      await recordDeviceTask({
        taskId: input.taskId,
        seq: attemptSeq(next, 1),
        patch: { status: DeviceTaskStatus.failed, remark: stopReason, endedAt: Date.now() },
      });
      state.phase = 'stopped';
      return state;
    }
    if (accepted) {
      upsertSearchAttributes([{ key: TaskStatus, value: 'pending' }]);
      await continueAsNew<typeof deviceTask>({ ...input, attempt: next, runAt, dueAt: runAt });
    }
  }
  return state;
}

function failureOf(err: unknown): Outcome {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof TimeoutFailure) {
    const remark =
      cause.timeoutType === 'START_TO_CLOSE'
        ? 'the script ran longer than DEVICE_SCRIPT_TIMEOUT_MINUTES and was abandoned'
        : 'the worker running the script stopped responding (heartbeat timeout)';
    return { status: DeviceTaskStatus.failed, remark, retryable: true, stopped: false };
  }
  if (cause instanceof ApplicationFailure) {
    return { status: DeviceTaskStatus.failed, remark: cause.message, retryable: !NOT_RETRYABLE.includes(cause.type ?? ''), stopped: false };
  }
  return { status: DeviceTaskStatus.failed, remark: cause instanceof Error ? cause.message : String(cause), retryable: true, stopped: false };
}
