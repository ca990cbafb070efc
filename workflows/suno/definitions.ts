import { defineSignal } from '@temporalio/workflow';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';
import type { GenerationTaskState } from '../generation/definitions';
import type { FollowResume, FollowTimes } from '../generation/follow-upstream';

/** What the batched poller learned about one task at the upstream. */
export const sunoUpstreamUpdate = defineSignal<[SunoUpstreamTask]>('upstreamUpdate');

export interface SunoTaskInput extends FollowTimes {
  taskId: string;
  /** Set when a run continues as new: the task is already submitted and followed from here. */
  resume?: FollowResume<GenerationTaskState, SunoUpstreamTask>;
}
