import { WorkflowNotFoundError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { IMjTask } from '../../db/entities';
import { mjNotifyWorkflowId, mjWorkflowId } from '../../domain';
import type { MjUpstreamTask } from '../../services/upstream/midjourney-client';
import { mjUpstreamUpdate, submissionUpdate, type MjNotifyInput, type MjSubmission, type MjTaskInput } from '../../workflows/midjourney/definitions';
import { followTimes, type WorkflowSettings } from './settings';
import { signalIfRunning, startGenerationWorkflow, startOnce, within } from './start';

export type MidjourneyWorkflows = ReturnType<typeof midjourneyWorkflows>;

export function midjourneyWorkflows(client: Client, settings: WorkflowSettings) {
  const handle = (mjId: string) => client.workflow.getHandle(mjWorkflowId(mjId));
  return {
    /** Starts `mj-<id>`, or finds it already there. */
    start(task: Pick<IMjTask, 'mjId' | 'userId' | 'action' | 'channelId'>): Promise<void> {
      const input: MjTaskInput = { mjId: task.mjId, ...followTimes(settings) };
      return startGenerationWorkflow(client, settings.temporal.taskQueue, {
        platform: 'midjourney',
        workflowType: 'mjTask',
        workflowId: mjWorkflowId(task.mjId),
        input,
        action: task.action,
        userId: task.userId,
        channelId: task.channelId,
      });
    },

    /**
     * The upstream's answer to the task's submission, or undefined if it has not
     * come within `waitMs` (the workflow keeps trying; the relay answers "queued").
     * Also undefined when the workflow has already finished: the row tells the rest.
     */
    awaitSubmission(mjId: string, waitMs: number): Promise<MjSubmission | undefined> {
      const answer = handle(mjId)
        .startUpdate(submissionUpdate, { waitForStage: WorkflowUpdateStage.ACCEPTED })
        .then((update) => update.result())
        .catch(() => undefined);
      return within(waitMs, answer);
    },

    /**
     * Starts the delivery of one notification (`mj-notify-<id>-<status>`). The id makes a
     * repeated start — a retried projection write — the same delivery, even after it finished.
     */
    notify(delivery: Omit<MjNotifyInput, 'lifetimeMs' | 'deliveryId'>): Promise<void> {
      const workflowId = mjNotifyWorkflowId(delivery.mjId, delivery.status);
      const input: MjNotifyInput = { ...delivery, deliveryId: workflowId, lifetimeMs: settings.midjourney.notify.lifetimeMinutes * 60_000 };
      return startOnce(() =>
        client.workflow.start('mjNotify', {
          workflowId,
          taskQueue: settings.temporal.taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    },

    signal: (mjId: string, snapshot: MjUpstreamTask) => signalIfRunning(() => handle(mjId).signal(mjUpstreamUpdate, snapshot)),

    /** Whether Temporal knows the task's workflow at all (open or closed). */
    async exists(mjId: string): Promise<boolean> {
      try {
        await handle(mjId).describe();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
  };
}
