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
  /** upload-discord-images: the uploaded images' URLs, which are the client's answer. */
  uploaded?: string[];
}

/**
 * Completes once the task has been submitted (or refused): the relay waits on
 * it so `/mj/submit/*` can answer with the upstream's code, as midjourney-proxy does.
 */
export const submissionUpdate = defineUpdate<MjSubmission>('submission');

export interface MjTaskState extends GenerationTaskState {
  submission: MjSubmission | null;
}

/** One notifyHook delivery: the task's JSON as it was when it reached `status`. */
export interface MjNotifyInput {
  mjId: string;
  status: string;
  /** The body to POST: new-api's task JSON (MidjourneyDto). */
  payload: unknown;
  /** The workflow id, sent as X-Taskhub-Delivery so receivers can drop a repeat. */
  deliveryId: string;
  /** Attempts stop this long after the first. */
  lifetimeMs: number;
}

export interface MjTaskInput extends FollowTimes {
  mjId: string;
  /** Set when a run continues as new: the job is already submitted and answered, and followed from here. */
  resume?: FollowResume<MjTaskState, MjUpstreamTask>;
}
