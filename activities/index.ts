import { createDeviceLayer, type DeviceLayer } from '../devices';
import type { Config } from '../lib/config';
import type { Services } from '../services';
import { createMidjourneyClient } from '../services/upstream/midjourney-client';
import { createSunoClient } from '../services/upstream/suno-client';
import type { TaskWorkflows } from '../temporal/task-workflows';
import { createDeviceScriptActivities } from './device-script';
import { createDeviceActivities } from './device-tasks';
import { createGenerationActivities } from './generation';
import { createLedgerActivities } from './ledger';
import { createMidjourneyActivities, createMjPoller } from './midjourney';
import { createMjNotifier, createMjNotifyActivities } from './midjourney-notify';
import { keepAlive } from './keep-alive';
import { createSunoActivities, createSunoPoller } from './suno';

export interface ActivityDeps {
  services: Services;
  /** The Temporal client side: pollers signal tasks, sweeps start the workflows of stranded ones. */
  workflows: TaskWorkflows;
  config: Pick<Config, 'upstreamTimeoutSeconds' | 'appiumUrl' | 'devices' | 'midjourney' | 'serverAddress'>;
  /** The Appium layer device scripts run through; tests pass one with short waits. */
  deviceLayer?: DeviceLayer;
}

/** Every activity the worker registers, built from explicit dependencies. */
export function createActivities(deps: ActivityDeps) {
  const upstreamTimeoutMs = deps.config.upstreamTimeoutSeconds * 1000;
  const suno = { services: deps.services, workflows: deps.workflows, suno: createSunoClient(upstreamTimeoutMs) };
  const notify = { services: deps.services, workflows: deps.workflows, config: deps.config };
  const midjourney = {
    services: deps.services,
    workflows: deps.workflows,
    midjourney: createMidjourneyClient(upstreamTimeoutMs),
    autoDisableChannel: deps.config.midjourney.autoDisableChannel,
    afterWrite: createMjNotifier(notify),
  };
  return keepAlive(
    {
      ...createLedgerActivities({ ledger: deps.services.ledger }),
      ...createSunoActivities(suno),
      ...createMidjourneyActivities(midjourney),
      ...createMjNotifyActivities(notify),
      ...createGenerationActivities({ suno: createSunoPoller(suno), midjourney: createMjPoller(midjourney) }),
      ...createDeviceActivities({ services: deps.services, workflows: deps.workflows }),
      ...createDeviceScriptActivities({
        services: deps.services,
        layer:
          deps.deviceLayer ??
          createDeviceLayer({
            waitTimeoutMs: deps.config.devices.appiumWaitTimeoutMs,
            logLevel: deps.config.devices.webdriverLogLevel,
            uploadDir: deps.config.devices.uploadDir,
          }),
        appiumUrl: deps.config.appiumUrl,
      }),
    },
    // It heartbeats its steps itself: a stop reaches it through them.
    ['runDeviceScript'],
  );
}

export type Activities = ReturnType<typeof createActivities>;
