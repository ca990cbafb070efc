import { Group, Progress, Text } from '@mantine/core';
import { percent } from '../lib/format';

/** A bar while the task runs; just the figure once it has ended. */
export function TaskProgress({ progress, running }: { progress: string; running: boolean }) {
  const value = percent(progress);
  if (!running) return <Text size="sm">{progress || '—'}</Text>;
  return (
    <Group gap="xs" wrap="nowrap" miw={110}>
      <Progress value={value} animated striped w={70} aria-label={`progress ${progress}`} />
      <Text size="xs">{progress}</Text>
    </Group>
  );
}
