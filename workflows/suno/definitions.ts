import { defineSignal } from '@temporalio/workflow';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';
import type { FollowTimes } from '../generation/follow-upstream';

/** What the batched poller learned about one task at the upstream. */
export const sunoUpstreamUpdate = defineSignal<[SunoUpstreamTask]>('upstreamUpdate');

export interface SunoTaskInput extends FollowTimes {
  taskId: string;
}
