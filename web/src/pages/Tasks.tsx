import { useState } from 'react';
import { Button, Card, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Page, Task } from '../api/types';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { StatusBadge } from '../components/StatusBadge';
import { TaskProgress } from '../components/TaskProgress';
import { WorkflowLink } from '../components/WorkflowLink';
import { clipAudioSrc, clipsOf } from '../lib/clips';
import { formatQuota, formatTime, toSeconds } from '../lib/format';
import { useSession } from '../lib/session';

// new-api's task statuses (db/entities/task.ts); the first four are in flight.
const STATUSES = ['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS', 'FAILURE', 'SUCCESS', 'UNKNOWN'];
const IN_FLIGHT = new Set(STATUSES.slice(0, 4));

interface Filters {
  platform: string | null;
  status: string | null;
  action: string;
  task_id: string;
  from: string;
  to: string;
  channel_id: number | string;
}

const EMPTY: Filters = { platform: null, status: null, action: '', task_id: '', from: '', to: '', channel_id: '' };

/** new-api's task center: the caller's tasks (admins: everyone's, with user and channel) with every seed filter. */
export function TasksPage() {
  const { admin, user } = useSession();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const pageSize = 10;
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };
  const query = {
    p: page,
    page_size: pageSize,
    platform: filters.platform,
    status: filters.status,
    action: filters.action.trim().toUpperCase(),
    task_id: filters.task_id.trim(),
    start_timestamp: toSeconds(filters.from),
    end_timestamp: toSeconds(filters.to),
    channel_id: admin ? filters.channel_id : undefined,
  };
  const tasks = useQuery({ queryKey: ['tasks', admin, query], queryFn: () => api<Page<Task>>(admin ? '/api/task/' : '/api/task/self', { query }) });

  return (
    <Stack>
      <Title order={3}>Generation tasks</Title>
      <Card withBorder>
        <Group align="end" gap="sm">
          <Select label="Platform" data={['suno']} value={filters.platform} onChange={(v) => set({ platform: v })} clearable placeholder="any" w={110} />
          <Select label="Status" data={STATUSES} value={filters.status} onChange={(v) => set({ status: v })} clearable placeholder="any" w={150} />
          <TextInput label="Action" placeholder="MUSIC" value={filters.action} onChange={(e) => set({ action: e.currentTarget.value })} w={110} />
          <TextInput label="Task id" placeholder="task_…" value={filters.task_id} onChange={(e) => set({ task_id: e.currentTarget.value })} w={220} />
          <TextInput label="From" type="datetime-local" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} />
          <TextInput label="To" type="datetime-local" value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} />
          {admin && <NumberInput label="Channel" min={0} value={filters.channel_id} onChange={(v) => set({ channel_id: v })} w={100} />}
          <Button variant="default" onClick={() => set(EMPTY)}>
            Reset
          </Button>
        </Group>
      </Card>
      <Card withBorder p={0}>
        <QueryState loading={tasks.isLoading} error={tasks.error} />
        {tasks.data && (
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Submitted</Table.Th>
                  <Table.Th>Task</Table.Th>
                  {admin && <Table.Th>User / channel</Table.Th>}
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Progress</Table.Th>
                  <Table.Th>Quota</Table.Th>
                  <Table.Th>Result</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tasks.data.items.map((t) => (
                  <Table.Tr key={t.task_id} data-testid={`task-row-${t.task_id}`}>
                    <Table.Td>
                      <Text size="sm">{formatTime(t.submit_time || t.created_at)}</Text>
                    </Table.Td>
                    <Table.Td maw={230}>
                      <Text size="xs" className="mono">
                        {t.task_id}
                      </Text>
                      <WorkflowLink workflowId={`suno-${t.task_id}`} />
                    </Table.Td>
                    {admin && (
                      <Table.Td>
                        <Text size="sm">
                          {t.username ?? `#${t.user_id}`} {t.user_id === user?.id ? '(you)' : ''} / {t.channel_id || '—'}
                        </Text>
                      </Table.Td>
                    )}
                    <Table.Td>
                      <Text size="sm">
                        {t.platform} {t.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={t.status} />
                    </Table.Td>
                    <Table.Td>
                      <TaskProgress progress={t.progress} running={IN_FLIGHT.has(t.status)} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatQuota(t.quota)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <TaskResult task={t} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {tasks.data.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={8}>
                      <Text c="dimmed" ta="center" p="md">
                        No tasks match.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {tasks.data && <Pager page={page} pageSize={pageSize} total={tasks.data.total} onChange={setPage} />}
    </Stack>
  );
}

/** The clips of a finished song (each with its player), or why the task failed. */
function TaskResult({ task }: { task: Task }) {
  if (task.fail_reason)
    return (
      <Tooltip label={task.fail_reason} multiline w={320}>
        <Text size="sm" c="red" lineClamp={2} data-testid="fail-reason">
          {task.fail_reason}
        </Text>
      </Tooltip>
    );
  const clips = clipsOf(task).filter((c) => c.audio_url);
  if (task.status !== 'SUCCESS' || clips.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={4}>
      {clips.map((clip) => (
        <div key={clip.id}>
          <Text size="xs" fw={500}>
            {clip.title || clip.id}
          </Text>
          <audio controls preload="none" src={clipAudioSrc(task.task_id, clip.id)} style={{ height: 32, maxWidth: 260 }} data-testid="clip-audio" />
        </div>
      ))}
    </Stack>
  );
}
