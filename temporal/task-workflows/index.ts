import type { Client } from '@temporalio/client';
import { deviceWorkflows, type DeviceWorkflows } from './device';
import { midjourneyWorkflows, type MidjourneyWorkflows } from './midjourney';
import type { WorkflowSettings } from './settings';
import { sunoWorkflows, type SunoWorkflows } from './suno';

export type { WorkflowSettings } from './settings';

/**
 * Everything taskhub asks of Temporal as a client — start, signal, update, query —
 * behind one small interface, so routes, services and activities never hold a raw
 * Temporal client and tests can see every call that reaches a workflow.
 */
export interface TaskWorkflows {
  suno: SunoWorkflows;
  midjourney: MidjourneyWorkflows;
  device: DeviceWorkflows;
}

export function createTaskWorkflows(client: Client, settings: WorkflowSettings): TaskWorkflows {
  return { suno: sunoWorkflows(client, settings), midjourney: midjourneyWorkflows(client, settings), device: deviceWorkflows(client, settings) };
}
