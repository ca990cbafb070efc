/** new-api's task-center statuses (the `tasks` table: Suno); the first four are in flight. */
export const TASK_STATUSES = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'FAILURE', 'SUCCESS', 'UNKNOWN'] as const;
export type TaskStatusValue = (typeof TASK_STATUSES)[number];
export const TASK_IN_FLIGHT: readonly TaskStatusValue[] = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS'];

/** The progress new-api shows for each task-center status (Suno reports no percentage of its own). */
export const TASK_PROGRESS: Partial<Record<TaskStatusValue, string>> = {
  NOT_START: '0%',
  SUBMITTED: '10%',
  QUEUED: '20%',
  IN_PROGRESS: '50%',
  SUCCESS: '100%',
  FAILURE: '100%',
};

/**
 * midjourney-proxy's task statuses, plus MODAL: a CustomZoom/Inpaint task parked
 * upstream until the caller sends `/mj/submit/modal`.
 */
export const MJ_STATUSES = ['NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL', 'FAILURE', 'SUCCESS'] as const;
export type MjStatus = (typeof MJ_STATUSES)[number];
export const MJ_IN_FLIGHT: readonly MjStatus[] = ['NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL'];

/** TikMatrix's device-task statuses, as numbers on the wire and in the table. */
export const DeviceTaskStatus = { pending: 0, running: 1, completed: 2, failed: 3 } as const;
export type DeviceTaskStatusValue = (typeof DeviceTaskStatus)[keyof typeof DeviceTaskStatus];
export const DEVICE_TASK_STATUS_NAMES = ['pending', 'running', 'completed', 'failed'] as const;
export type DeviceTaskStatusName = (typeof DEVICE_TASK_STATUS_NAMES)[number];
export const isUnfinishedDeviceTask = (status: DeviceTaskStatusValue) => status === DeviceTaskStatus.pending || status === DeviceTaskStatus.running;
