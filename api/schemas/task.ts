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

/** new-api's TaskDto, in its field order (`result_url` and `username` only when they have a value). */
export const taskView = z.object({
  id: z.number().int(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
  task_id: z.string(),
  platform: z.string(),
  user_id: z.number().int(),
  group: z.string(),
  channel_id: z.number().int().describe("0 in a user's own task list"),
  quota: z.number().int(),
  action: z.string(),
  status: z.string(),
  fail_reason: z.string(),
  submit_time: z.number().int(),
  start_time: z.number().int(),
  finish_time: z.number().int(),
  progress: z.string(),
  properties: z.object({ input: z.string(), upstream_model_name: z.string().optional(), origin_model_name: z.string().optional() }),
  username: z.string().optional().describe('admin list only'),
  data: z.unknown().describe("the upstream's payload; null before it sent one"),
});

export type TaskView = z.infer<typeof taskView>;

/** taskhub has no user groups: everyone is priced as new-api's `default` group. */
const GROUP = 'default';

/** new-api's `properties.input` is the prompt text; taskhub keeps the whole request body. */
function propertiesOf(t: ITask): TaskView['properties'] {
  const input = t.properties.input;
  const body = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const prompt = typeof input === 'string' ? input : [body.prompt, body.gpt_description_prompt].find((v): v is string => typeof v === 'string' && v !== '');
  const model = typeof t.properties.model === 'string' ? t.properties.model : undefined;
  return { input: prompt ?? '', ...(model ? { upstream_model_name: model, origin_model_name: model } : {}) };
}

/**
 * One task as new-api's TaskDto. `showChannel` is false in a user's own list, where
 * new-api leaves channel_id out of its query (so it reads 0); `/suno/fetch` shows it.
 */
export function toTaskView(t: ITask, opts: { showChannel: boolean; username?: string } = { showChannel: false }): TaskView {
  return {
    id: t.id,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    task_id: t.taskId,
    platform: t.platform,
    user_id: t.userId,
    group: GROUP,
    channel_id: opts.showChannel ? t.channelId : 0,
    quota: t.quota,
    action: t.action,
    status: t.status,
    fail_reason: t.failReason,
    submit_time: t.submitTime,
    start_time: t.startTime,
    finish_time: t.finishTime,
    progress: t.progress,
    properties: propertiesOf(t),
    ...(opts.username ? { username: opts.username } : {}),
    data: t.data ?? null,
  };
}
