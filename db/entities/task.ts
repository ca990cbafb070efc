import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { TaskStatusValue } from '../../domain';

/**
 * The listing projection of a generation task (new-api's `tasks` table). Its
 * workflow owns it: every state change is written by an activity, guarded by
 * `seq` so a retried or late write never overwrites a newer one.
 */
export const Task = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: p.integer().primary().autoincrement(),
    /** Public id, `task_` + 32 characters; the upstream id stays private. */
    taskId: p.string().length(64).unique(),
    platform: p.string().length(30),
    userId: p.integer(),
    tokenId: p.integer().nullable(),
    channelId: p.integer().default(0),
    quota: p.bigint('number').default(0),
    action: p.string().length(40),
    status: p.string().length(20).$type<TaskStatusValue>(),
    failReason: p.text().default(''),
    submitTime: p.bigint('number').default(0),
    startTime: p.bigint('number').default(0),
    finishTime: p.bigint('number').default(0),
    progress: p.string().length(20).default('0%'),
    properties: p.json<Record<string, unknown>>(),
    data: p.json<unknown>().nullable(),
    upstreamTaskId: p.string().length(191).nullable(),
    idempotencyKey: p.string().length(191).nullable(),
    /** Unix seconds when the batched poller last found this task at its upstream. */
    polledAt: p.bigint('number').default(0),
    /** Sequence number of the last projection write (domain/write-order.ts); older writes are ignored. */
    seq: p.integer().default(0),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
  indexes: [
    // Listing: newest first per user / per channel / globally, one walk per counted filter, so a
    // deep page walks its offset on the index alone (services/listing/page.ts).
    { properties: ['userId', 'id'] },
    { properties: ['userId', 'status', 'id'] },
    { properties: ['userId', 'action', 'id'] },
    { properties: ['userId', 'platform', 'id'] },
    { properties: ['channelId', 'id'] },
    { properties: ['status', 'id'] },
    { properties: ['action', 'id'] },
    { properties: ['platform', 'id'] },
    // Time ranges, per user and globally.
    { properties: ['userId', 'submitTime'] },
    { properties: ['submitTime'] },
    // The poller: in-flight tasks of one channel.
    { properties: ['platform', 'channelId', 'status'] },
    // The event streams' change feed: rows whose updated_at moved (api/events).
    { properties: ['updatedAt'] },
  ],
  uniques: [{ properties: ['userId', 'idempotencyKey'] }],
});

export type ITask = InferEntity<typeof Task>;

/**
 * Row counts of `tasks` per owner and (platform, action, status, channel): each insert adds one
 * and each write that changes one of those columns moves one between cells, in the same
 * transaction as the row's own write (services/listing/counts.ts). `userId` 0 holds everyone's.
 * A filtered page's total is then a sum over a few cells instead of a COUNT(*) over millions of rows.
 */
export const TaskCount = defineEntity({
  name: 'TaskCount',
  tableName: 'task_counts',
  properties: {
    userId: p.integer().primary(),
    platform: p.string().length(30).primary(),
    action: p.string().length(40).primary(),
    status: p.string().length(20).primary(),
    channelId: p.integer().primary(),
    total: p.bigint('number').default(0),
  },
});

export type ITaskCount = InferEntity<typeof TaskCount>;
