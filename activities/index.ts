import type { Client } from '@temporalio/client';
import { createDeviceLayer, type DeviceLayer } from '../devices';
import type { Config } from '../lib/config';
import type { Services } from '../services';
import { createMidjourneyClient } from '../services/upstream/midjourney-client';
import { createSunoClient } from '../services/upstream/suno-client';
import { createDeviceScriptActivities } from './device-script';
import { deviceStartConfig } from './device-start';
import { createDeviceActivities } from './device-tasks';
import { createLedgerActivities } from './ledger';
import { createMidjourneyActivities } from './midjourney';
import { createSunoActivities } from './suno';

export interface ActivityDeps {
  services: Services;
  client: Client;
  config: Pick<Config, 'upstreamTimeoutSeconds' | 'taskTimeoutMinutes' | 'taskPollIntervalSeconds' | 'temporal' | 'appiumUrl' | 'devices' | 'midjourney'>;
  /** The Appium layer device scripts run through; tests pass one with short waits. */
  deviceLayer?: DeviceLayer;
}

export function sunoStartConfig(config: ActivityDeps['config']) {
  return { taskQueue: config.temporal.taskQueue, timeoutMinutes: config.taskTimeoutMinutes, pollIntervalSeconds: config.taskPollIntervalSeconds };
}

export const mjStartConfig = sunoStartConfig;

/** Every activity the worker registers, built from explicit dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createLedgerActivities({ ledger: deps.services.ledger }),
    ...createSunoActivities({
      services: deps.services,
      suno: createSunoClient(deps.config.upstreamTimeoutSeconds * 1000),
      client: deps.client,
      start: sunoStartConfig(deps.config),
    }),
    ...createMidjourneyActivities({
      services: deps.services,
      midjourney: createMidjourneyClient(deps.config.upstreamTimeoutSeconds * 1000),
      client: deps.client,
      autoDisableChannel: deps.config.midjourney.autoDisableChannel,
    }),
    ...createDeviceActivities({ services: deps.services, client: deps.client, start: deviceStartConfig(deps.config) }),
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
  };
}

export type Activities = ReturnType<typeof createActivities>;
