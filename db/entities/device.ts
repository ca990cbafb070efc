import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { DeviceTaskStatus, type DeviceTaskStatusValue } from '../../domain';

/** A phone reachable through Appium, known by its adb serial. */
export const Device = defineEntity({
  name: 'Device',
  tableName: 'devices',
  properties: {
    id: p.integer().primary().autoincrement(),
    serial: p.string().length(191).unique(),
    name: p.string().length(128).default(''),
    /** Appium capability overrides for this phone (`appium:systemPort`, a fake driver's `appium:app`, …). */
    capabilities: p.json<Record<string, unknown>>().nullable(),
    enabled: p.boolean().default(true),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
});

export type IDevice = InferEntity<typeof Device>;

/** A TikTok (or clone app) account logged in on one phone; username mode runs its tasks there. */
export const DeviceAccount = defineEntity({
  name: 'DeviceAccount',
  tableName: 'device_accounts',
  properties: {
    id: p.integer().primary().autoincrement(),
    username: p.string().length(191).unique(),
    /** Serial of the phone the account is logged in on. */
    device: p.string().length(191),
    /** App package of this account; clone apps use their own. */
    package: p.string().length(191).default('com.zhiliaoapp.musically'),
    enabled: p.boolean().default(true),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
  indexes: [{ properties: ['device', 'id'] }],
});

export type IDeviceAccount = InferEntity<typeof DeviceAccount>;

/**
 * One script run on one phone: TikMatrix's task row, and the listing projection of its
 * `device-<id>` workflow. Times are unix milliseconds; the API formats them in TZ.
 */
export const DeviceTask = defineEntity({
  name: 'DeviceTask',
  tableName: 'device_tasks',
  properties: {
    id: p.integer().primary().autoincrement(),
    serial: p.string().length(191),
    username: p.string().length(191).nullable(),
    scriptName: p.string().length(40),
    /** The validated config of this one task (already narrowed to its target by the fan-out). */
    scriptConfig: p.json<Record<string, unknown>>(),
    status: p.smallint().default(DeviceTaskStatus.pending).$type<DeviceTaskStatusValue>(),
    remark: p.text().default(''),
    source: p.string().length(8).default('api'),
    retryCount: p.integer().default(0),
    /** Spacing before this task on its phone, drawn between the two (seconds). */
    minIntervalSeconds: p.integer().default(0),
    maxIntervalSeconds: p.integer().default(0),
    /** When it is due (start_time "HH:MM" resolved); null: as soon as the phone is free. */
    runAt: p.bigint('number').nullable(),
    startedAt: p.bigint('number').nullable(),
    endedAt: p.bigint('number').nullable(),
    workflowId: p.string().length(64),
    /** Set once the workflow has been started; a pending row without it is picked up by the sweeper. */
    dispatchedAt: p.bigint('number').nullable(),
    /** Sequence number of the last projection write (domain/write-order.ts); older writes are ignored. */
    seq: p.integer().default(0),
    createdAt: p.bigint('number'),
    updatedAt: p.bigint('number'),
  },
  indexes: [
    // The list filters, newest first.
    { properties: ['status', 'id'] },
    { properties: ['serial', 'id'] },
    { properties: ['serial', 'status', 'id'] },
    { properties: ['scriptName', 'id'] },
    { properties: ['source', 'id'] },
    { properties: ['username', 'status'] },
    // The sweeper: pending rows whose workflow was never started.
    { properties: ['status', 'dispatchedAt'] },
    // The event streams' change feed: rows whose updated_at moved (api/events).
    { properties: ['updatedAt'] },
  ],
});

export type IDeviceTask = InferEntity<typeof DeviceTask>;

/**
 * Row counts of `device_tasks` per (status, serial, script, source), the filters of TikMatrix's
 * task list, kept in the transaction of every insert, status change and delete.
 */
export const DeviceTaskCount = defineEntity({
  name: 'DeviceTaskCount',
  tableName: 'device_task_counts',
  properties: {
    status: p.smallint().primary(),
    serial: p.string().length(191).primary(),
    scriptName: p.string().length(40).primary(),
    source: p.string().length(8).primary(),
    total: p.bigint('number').default(0),
  },
});

export type IDeviceTaskCount = InferEntity<typeof DeviceTaskCount>;
