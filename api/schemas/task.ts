import { z } from 'zod';
import type { ITask } from '../../db/entities';
import type { TaskFilter } from '../../services/tasks';
import { TASK_STATUSES } from '../../domain';
import { pageQuery } from './common';

const seconds = z.coerce.number().int().min(0);

/** Filters of new-api's task center (seed 000); timestamps are unix seconds on submit_time. */
export const listTasksQuery = pageQuery.extend({
  platform: z.string().max(30).optional(),
  task_id: z.string().max(64).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  action: z.string().max(40).optional(),
  start_timestamp: seconds.optional(),
  end_timestamp: seconds.optional(),
});

export const adminListTasksQuery = listTasksQuery.extend({ channel_id: z.coerce.number().int().min(0).optional() });

/** The listing's filter as the service takes it; the routes add whose tasks. */
export const taskFilterOf = (q: z.output<typeof listTasksQuery>): TaskFilter => ({
  platform: q.platform,
  taskId: q.task_id,
  status: q.status,
  action: q.action,
  startTimestamp: q.start_timestamp,
  endTimestamp: q.end_timestamp,
});

export const taskView = z.object({
  id: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  task_id: z.string(),
  platform: z.string(),
  user_id: z.number().int(),
  quota: z.number().int(),
  action: z.string(),
  status: z.string(),
  fail_reason: z.string(),
  submit_time: z.number().int(),
  start_time: z.number().int(),
  finish_time: z.number().int(),
  progress: z.string(),
  properties: z.record(z.string(), z.unknown()),
  data: z.unknown(),
});

export const adminTaskView = taskView.extend({ channel_id: z.number().int() });

export function toTaskView(t: ITask): z.infer<typeof taskView> {
  return {
    id: t.id,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    task_id: t.taskId,
    platform: t.platform,
    user_id: t.userId,
    quota: t.quota,
    action: t.action,
    status: t.status,
    fail_reason: t.failReason,
    submit_time: t.submitTime,
    start_time: t.startTime,
    finish_time: t.finishTime,
    progress: t.progress,
    properties: t.properties,
    data: t.data ?? {},
  };
}

export const toAdminTaskView = (t: ITask) => ({ ...toTaskView(t), channel_id: t.channelId });
