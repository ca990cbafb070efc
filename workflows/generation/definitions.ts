import { defineQuery } from '@temporalio/workflow';

/** The generation platforms; each has a task workflow, a poller (`<platform>` below) and its own wire. */
export type GenerationPlatform = 'suno' | 'midjourney';

export interface GenerationTaskState {
  status: string;
  progress: string;
  failReason: string;
  channelId: number;
  upstreamTaskId: string | null;
  refunded: boolean;
}

/** Current state, for the Temporal UI and `temporal workflow query --type status`. */
export const statusQuery = defineQuery<GenerationTaskState>('status');

/** What one round of a platform's batched poller did. */
export interface PollSummary {
  channels: number;
  requests: number;
  tasks: number;
  signalled: number;
  failedChannels: number;
  /** Tasks found without a workflow and restarted or given up on. */
  stranded: number;
}
