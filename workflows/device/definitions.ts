import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface DeviceTaskInput {
  taskId: number;
  serial: string;
  scriptName: string;
  /** Unix ms when it is due; null: as soon as the phone is free. */
  runAt: number | null;
  /** When the task became due (its start time, creation or retry): its place in the phone's queue. */
  dueAt: number;
  /** The task's retry_count for this run. */
  attempt: number;
  /** Spacing on the phone before this task, drawn between the two. */
  spacingMs: { min: number; max: number };
  autoRetry: { enabled: boolean; maxRetries: number; minDelayMs: number; maxDelayMs: number };
  scriptTimeoutMinutes: number;
  lockCheckMs: number;
}

export type DevicePhase = 'scheduled' | 'queued' | 'running' | 'completed' | 'failed' | 'stopped';

export interface DeviceTaskState {
  phase: DevicePhase;
  remark: string;
  attempt: number;
}

/** Stop the task wherever it is: waiting for its time, queued for its phone, or mid-script. */
export const stopSignal = defineSignal<[{ reason: string }]>('stop');
/** The phone lock's answer: this run may use the phone now. */
export const lockGranted = defineSignal<[{ requestId: string }]>('lockGranted');
export const deviceStatusQuery = defineQuery<DeviceTaskState>('status');

export interface LockRequest {
  /** `<workflowId>/<runId>`: one per run, so a retried task queues afresh. */
  requestId: string;
  workflowId: string;
  runId: string;
  /** Queue order: earliest due first, then lowest task id (so one request's tasks run in creation order). */
  dueAt: number;
  taskId: number;
  minGapMs: number;
  maxGapMs: number;
  /** Drawn once, when the request reaches the head of the queue. */
  gapMs?: number;
}

export interface PhoneLockState {
  serial: string;
  queue: LockRequest[];
  holder: { request: LockRequest; grantedAt: number } | null;
  lastReleasedAt: number | null;
  /** Requests released recently, so a late duplicate of one is not queued again. */
  recentlyReleased: string[];
  checkMs: number;
  /** Events a run may reach before it continues as new; absent in locks started before it existed. */
  historyBudget?: number;
}

export const requestLock = defineSignal<[LockRequest]>('requestLock');
/** Sent by a run when it ends in any way: frees the phone if it held it, leaves the queue if it waited. */
export const releaseLock = defineSignal<[{ requestId: string }]>('releaseLock');
export const lockStateQuery = defineQuery<PhoneLockState>('state');
