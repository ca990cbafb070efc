import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MjUpstreamTask } from '../../services/upstream/midjourney-client';
import type { GenerationTaskState } from '../generation/definitions';
import type { FollowResume, FollowTimes } from '../generation/follow-upstream';

/** What the batched poller learned about one task at the upstream. */
export const mjUpstreamUpdate = defineSignal<[MjUpstreamTask]>('upstreamUpdate');

/** The upstream's answer to the submission, as the relay replies it to the client. */
export interface MjSubmission {
  accepted: boolean;
  code: number;
  description: string;
  properties: Record<string, unknown>;
}

/**
 * Completes once the task has been submitted (or refused): the relay waits on
 * it so `/mj/submit/*` can answer with the upstream's code, as midjourney-proxy does.
 */
export const submissionUpdate = defineUpdate<MjSubmission>('submission');

export interface MjTaskState extends GenerationTaskState {
  submission: MjSubmission | null;
}

export interface MjTaskInput extends FollowTimes {
  mjId: string;
  /** Set when a run continues as new: the job is already submitted and answered, and followed from here. */
  resume?: FollowResume<MjTaskState, MjUpstreamTask>;
}
