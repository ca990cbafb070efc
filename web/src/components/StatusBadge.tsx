import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  SUCCESS: 'teal',
  FAILURE: 'red',
  IN_PROGRESS: 'blue',
  SUBMITTED: 'cyan',
  QUEUED: 'gray',
  NOT_START: 'gray',
  MODAL: 'grape',
  UNKNOWN: 'dark',
  pending: 'gray',
  running: 'blue',
  completed: 'teal',
  failed: 'red',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" data-testid="status">
      {status}
    </Badge>
  );
}
