import type { Client } from '@temporalio/client';
import type { ITask } from '../../db/entities';
import { sunoWorkflowId } from '../../domain';
import type { SunoUpstreamTask } from '../../services/upstream/suno-client';
import { sunoUpstreamUpdate, type SunoTaskInput } from '../../workflows/suno/definitions';
import { followTimes, type WorkflowSettings } from './settings';
import { signalIfRunning, startGenerationWorkflow } from './start';

export type SunoWorkflows = ReturnType<typeof sunoWorkflows>;

export function sunoWorkflows(client: Client, settings: WorkflowSettings) {
  return {
    /** Starts `suno-<task_id>`, or finds it already there. */
    start(task: Pick<ITask, 'taskId' | 'userId' | 'action'>): Promise<void> {
      const input: SunoTaskInput = { taskId: task.taskId, ...followTimes(settings) };
      return startGenerationWorkflow(client, settings.temporal.taskQueue, {
        platform: 'suno',
        workflowType: 'sunoTask',
        workflowId: sunoWorkflowId(task.taskId),
        input,
        action: task.action,
        userId: task.userId,
        channelId: 0,
      });
    },

    /** Hands the poller's news to the task's workflow; false when it has already finished. */
    signal: (taskId: string, snapshot: SunoUpstreamTask) =>
      signalIfRunning(() => client.workflow.getHandle(sunoWorkflowId(taskId)).signal(sunoUpstreamUpdate, snapshot)),
  };
}
