import { z } from 'zod';
import type { IDeviceTask } from '../../db/entities';
import { formatWallClock, START_TIME_PATTERN } from '../../services/device-time';

/** TikMatrix clients send "" or null for "not given"; both mean absent. */
const absentIfEmpty = (v: unknown) => (v === '' || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(absentIfEmpty, schema.optional());

const name = z.string().trim().min(1).max(191);
const names = z.array(name).max(1000);
const intervalMinutes = z.number().min(0, 'must be 0 or more minutes').max(1440, 'must be at most 1440 minutes (a day)');

/**
 * POST /api/v1/task. Lenient like TikMatrix's agent: unknown fields are ignored, and
 * script_name is checked by the handler so that its absence answers 40002, not 40001.
 */
export const createDeviceTasksBody = z.object({
  serials: optional(names),
  usernames: optional(names),
  script_name: optional(z.string().trim().max(40)),
  script_config: optional(z.record(z.string(), z.unknown())),
  enable_multi_account: optional(z.boolean()),
  start_time: optional(z.string().trim().regex(START_TIME_PATTERN, 'must be "HH:MM", from 00:00 to 23:59')),
  min_interval: optional(intervalMinutes),
  max_interval: optional(intervalMinutes),
});

export const createdDeviceTasks = z.object({ task_ids: z.array(z.number().int()), created_count: z.number().int() });

const queryInt = (min: number, max: number, message: string) =>
  z.preprocess(absentIfEmpty, z.coerce.number().int().min(min, message).max(max, message).optional());

export const deviceTaskFilterQuery = z.object({
  status: queryInt(0, 3, 'must be 0 (pending), 1 (running), 2 (completed) or 3 (failed)'),
  serial: optional(z.string().max(191)),
  script_name: optional(z.string().max(40)),
  source: optional(z.enum(['ui', 'api'])),
});

/** TikMatrix paging: `page` from 1, `page_size` 20 by default, at most 100. */
export const listDeviceTasksQuery = deviceTaskFilterQuery.extend({
  page: z.preprocess(absentIfEmpty, z.coerce.number().int().min(1, 'must be 1 or more').default(1)),
  page_size: z.preprocess(absentIfEmpty, z.coerce.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100').default(20)),
});

export const deviceTaskStatsQuery = deviceTaskFilterQuery.omit({ status: true });

export const taskIdParams = z.object({ id: z.coerce.number().int().positive('must be a task id') });

export const batchDeleteBody = z.object({
  task_ids: z.array(z.coerce.number().int().positive('must be a task id')).min(1, 'give at least one task id').max(1000),
});

export const deviceTaskView = z.object({
  id: z.number().int(),
  serial: z.string(),
  username: z.string(),
  script_name: z.string(),
  script_config: z.record(z.string(), z.unknown()),
  status: z.number().int().describe('0 pending, 1 running, 2 completed, 3 failed'),
  start_time: z.string().nullable().describe('When the script started ("YYYY-MM-DD HH:MM:SS" in TZ); while pending, when it is scheduled to'),
  end_time: z.string().nullable(),
  scheduled_time: z.string().nullable().describe('start_time "HH:MM" resolved to today; null: as soon as the phone is free'),
  remark: z.string(),
  source: z.string(),
  retry_count: z.number().int(),
  min_interval: z.number(),
  max_interval: z.number(),
  workflow_id: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export function toDeviceTaskView(t: IDeviceTask, timeZone: string): z.infer<typeof deviceTaskView> {
  const at = (ms: number | null | undefined) => formatWallClock(ms, timeZone);
  return {
    id: t.id,
    serial: t.serial,
    username: t.username ?? '',
    script_name: t.scriptName,
    script_config: t.scriptConfig,
    status: t.status,
    start_time: at(t.startedAt ?? t.runAt),
    end_time: at(t.endedAt),
    scheduled_time: at(t.runAt),
    remark: t.remark,
    source: t.source,
    retry_count: t.retryCount,
    min_interval: t.minIntervalSeconds / 60,
    max_interval: t.maxIntervalSeconds / 60,
    workflow_id: t.workflowId,
    created_at: at(t.createdAt)!,
    updated_at: at(t.updatedAt)!,
  };
}

export const deviceTaskPage = z.object({ tasks: z.array(deviceTaskView), total: z.number().int(), page: z.number().int(), page_size: z.number().int() });

export const deviceTaskStats = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
});
