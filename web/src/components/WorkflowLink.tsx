import { Anchor, Text } from '@mantine/core';
import { useServerStatus, workflowUrl } from '../lib/status';

/** Opens the task's workflow history in the Temporal UI (TEMPORAL_UI_URL or the embedded UI). */
export function WorkflowLink({ workflowId }: { workflowId: string }) {
  const { data: status } = useServerStatus();
  const href = workflowUrl(status, workflowId);
  if (!href)
    return (
      <Text size="xs" c="dimmed" className="mono">
        {workflowId}
      </Text>
    );
  return (
    <Anchor href={href} target="_blank" rel="noreferrer" size="xs" className="mono" title="workflow history in the Temporal UI">
      {workflowId}
    </Anchor>
  );
}
