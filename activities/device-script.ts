import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Services } from '../services';
import { DeviceScriptError, type DeviceLayer, type ScriptName, type ScriptStep } from '../devices';

export interface DeviceScriptDeps {
  services: Services;
  layer: DeviceLayer;
  appiumUrl: string | undefined;
  /** Heartbeat this often even while a step waits (a long swipe, a warm-up pause). */
  heartbeatEveryMs?: number;
}

/** The one activity that touches a phone: one Appium session, one script, closed in every outcome. */
export function createDeviceScriptActivities(deps: DeviceScriptDeps) {
  return {
    async runDeviceScript({ taskId, attempt }: { taskId: number; attempt: number }): Promise<{ remark: string; steps: number }> {
      const ctx = Context.current();
      const task = await deps.services.deviceTasks.get(taskId).catch(() => null);
      if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} no longer exists`, 'task_missing');
      if (task.retryCount !== attempt)
        throw ApplicationFailure.nonRetryable(`task ${taskId} was retried meanwhile (attempt ${task.retryCount}, this run is ${attempt})`, 'superseded');
      const [device] = await deps.services.devices.bySerials([task.serial]);
      if (!device) throw ApplicationFailure.nonRetryable(`device ${task.serial} is no longer registered`, 'device_offline');
      const account = task.username ? (await deps.services.accounts.byUsernames([task.username]))[0] : undefined;

      let last: ScriptStep | undefined;
      // Cancellation only reaches an activity through a heartbeat, so heartbeat between steps too.
      const timer = setInterval(() => ctx.heartbeat(last), deps.heartbeatEveryMs ?? 1000);
      try {
        const result = await deps.layer.runScript({
          appiumUrl: deps.appiumUrl,
          device: { serial: device.serial, capabilities: device.capabilities ?? undefined },
          account: task.username ? { username: task.username, package: account?.package } : undefined,
          scriptName: task.scriptName as ScriptName,
          config: task.scriptConfig,
          signal: ctx.cancellationSignal,
          onStep: (step) => {
            last = step;
            ctx.heartbeat(step);
          },
        });
        return { remark: result.remark, steps: last?.index ?? 0 };
      } catch (err) {
        if (ctx.cancellationSignal.aborted) throw new CancelledFailure(err instanceof Error ? err.message : 'stopped');
        if (err instanceof DeviceScriptError) throw ApplicationFailure.nonRetryable(err.message, err.kind, { step: err.step ?? null });
        throw err;
      } finally {
        clearInterval(timer);
      }
    },
  };
}

export type DeviceScriptActivities = ReturnType<typeof createDeviceScriptActivities>;
