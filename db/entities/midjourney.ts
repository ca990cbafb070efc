import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { MjStatus } from '../../domain';

export interface MjButtonValue {
  customId: string;
  emoji: string;
  label: string;
  type: number;
  style: number;
}

/**
 * The listing projection of a Midjourney task (new-api's `midjourneys` table):
 * times are milliseconds, as midjourney-proxy reports them. `mjId` is ours and
 * public; the upstream's id stays private, because a child action may land on
 * an upstream task another row already follows (code 21, modal).
 */
export const MjTask = defineEntity({
  name: 'MjTask',
  tableName: 'midjourneys',
  properties: {
    id: p.integer().primary().autoincrement(),
    mjId: p.string().length(32).unique(),
    upstreamTaskId: p.string().length(191).nullable(),
    /** The upstream's submit code (1, 21, 22, or the refusal). */
    code: p.integer().default(0),
    userId: p.integer(),
    tokenId: p.integer().nullable(),
    channelId: p.integer().default(0),
    action: p.string().length(40),
    /** Our id of the task a child action (change, action, modal…) acts on. */
    parentMjId: p.string().length(32).nullable(),
    prompt: p.text().default(''),
    promptEn: p.text().default(''),
    description: p.text().default(''),
    state: p.text().default(''),
    submitTime: p.bigint('number').default(0),
    startTime: p.bigint('number').default(0),
    finishTime: p.bigint('number').default(0),
    /** As the upstream reported it; `/mj/image/:id` fetches from here. */
    imageUrl: p.text().default(''),
    videoUrl: p.text().default(''),
    videoUrls: p.json<{ url: string }[]>().nullable(),
    status: p.string().length(20).$type<MjStatus>(),
    progress: p.string().length(20).default('0%'),
    failReason: p.text().default(''),
    quota: p.bigint('number').default(0),
    buttons: p.json<MjButtonValue[]>().nullable(),
    properties: p.json<Record<string, unknown>>().nullable(),
    /** What goes upstream (route and body, parent ids already translated), and where to send notifications. */
    request: p.json<{ route: string; body: Record<string, unknown>; notify?: { url: string; keyDigest: string } }>(),
    idempotencyKey: p.string().length(191).nullable(),
    /** Unix seconds when the batched poller last found this task at its upstream. */
    polledAt: p.bigint('number').default(0),
    seq: p.integer().default(0),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
  indexes: [
    // Listing: newest first per user / per channel / globally; time-range filters on submit_time.
    { properties: ['userId', 'id'] },
    { properties: ['channelId', 'id'] },
    { properties: ['userId', 'submitTime'] },
    { properties: ['submitTime'] },
    // The poller and the stranded sweep: in-flight tasks by channel.
    { properties: ['status', 'channelId'] },
    // The event streams' change feed: rows whose updated_at moved (api/events).
    { properties: ['updatedAt'] },
  ],
  uniques: [{ properties: ['userId', 'idempotencyKey'] }],
});

export type IMjTask = InferEntity<typeof MjTask>;

/** Row counts of `midjourneys` per owner (0: everyone) and (action, status, channel), kept like `task_counts`. */
export const MjCount = defineEntity({
  name: 'MjCount',
  tableName: 'mj_counts',
  properties: {
    userId: p.integer().primary(),
    action: p.string().length(40).primary(),
    status: p.string().length(20).primary(),
    channelId: p.integer().primary(),
    total: p.bigint('number').default(0),
  },
});

export type IMjCount = InferEntity<typeof MjCount>;
