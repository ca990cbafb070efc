import { deviceStartConfig } from '../activities/device-start';
import { deviceTaskCommands, type DeviceTaskCommands } from '../services/device-task-commands';
import type { AppDeps } from './deps';

/** The device-task commands over this app's database and Temporal client. */
export function deviceCommands(deps: AppDeps): DeviceTaskCommands {
  return deviceTaskCommands({ services: deps.services, client: deps.temporal.client, start: deviceStartConfig(deps.config), log: deps.log });
}
