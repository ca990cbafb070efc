import { Group, Pagination, Text } from '@mantine/core';

export function Pager({ page, pageSize, total, onChange }: { page: number; pageSize: number; total: number; onChange(page: number): void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {total.toLocaleString()} in all
      </Text>
      <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={onChange} />
    </Group>
  );
}
