import type { FollowTimes } from '../follow-upstream';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';

/** What the batched poller learned about one task at the upstream. */
export const upstreamUpdate = defineSignal<[SunoUpstreamTask]>('upstreamUpdate');

export interface SunoTaskState {
  status: string;
  progress: string;
  failReason: string;
  channelId: number;
  upstreamTaskId: string | null;
  refunded: boolean;
}

/** Current state, for the Temporal UI and `temporal workflow query --type status`. */
export const statusQuery = defineQuery<SunoTaskState>('status');

export interface SunoTaskInput extends FollowTimes {
  taskId: string;
}

export const sunoWorkflowId = (taskId: string) => `suno-${taskId}`;
export const SUNO_POLLER_ID = 'suno-poller';
