import { useMemo, useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPlayerStop, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage, tikmatrix } from '../api/client';
import type { DeviceTask, DeviceTaskPage, DeviceTaskStats, ScriptInfo } from '../api/types';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { compact, SchemaFields, type FormValues } from '../components/SchemaForm';
import { StatusBadge } from '../components/StatusBadge';
import { WorkflowLink } from '../components/WorkflowLink';
import { DEVICE_STATUS } from '../lib/device-status';
import { useAccounts, useDevices } from './Devices';

const invalidateAll = (qc: ReturnType<typeof useQueryClient>) => {
  for (const key of ['device-tasks', 'device-stats', 'phone-queue']) void qc.invalidateQueries({ queryKey: [key] });
};

/** TikMatrix's task screen: stats, a create form for every script, and the list with its filters and actions. */
export function DeviceTasksPage() {
  return (
    <Stack>
      <Title order={3}>Device tasks</Title>
      <StatsCards />
      <CreateTaskForm />
      <TaskList />
    </Stack>
  );
}

function StatsCards() {
  const stats = useQuery({ queryKey: ['device-stats'], queryFn: () => tikmatrix<DeviceTaskStats>('/api/v1/task/stats') });
  const cards: [string, number | undefined, string][] = [
    ['total', stats.data?.total, 'dark'],
    ['pending', stats.data?.pending, 'gray'],
    ['running', stats.data?.running, 'blue'],
    ['completed', stats.data?.completed, 'teal'],
    ['failed', stats.data?.failed, 'red'],
  ];
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, md: 5 }}>
      {cards.map(([label, value, color]) => (
        <Card withBorder key={label} padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {label}
          </Text>
          <Text fw={700} size="xl" c={color} data-testid={`device-stat-${label}`}>
            {value ?? '—'}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

function CreateTaskForm() {
  const qc = useQueryClient();
  const scripts = useQuery({ queryKey: ['scripts'], queryFn: () => tikmatrix<{ scripts: ScriptInfo[] }>('/api/v1/script'), staleTime: Infinity });
  const devices = useDevices();
  const accounts = useAccounts();
  const [mode, setMode] = useState<'serials' | 'usernames'>('serials');
  const [targets, setTargets] = useState<string[]>([]);
  const [script, setScript] = useState<string | null>('account_warmup');
  const [config, setConfig] = useState<FormValues>({});
  const [startTime, setStartTime] = useState('');
  const [minInterval, setMinInterval] = useState<number | string>('');
  const [maxInterval, setMaxInterval] = useState<number | string>('');
  const [multi, setMulti] = useState(false);
  const schema = useMemo(() => scripts.data?.scripts.find((s) => s.name === script)?.config_schema, [scripts.data, script]);

  const create = useMutation({
    mutationFn: () =>
      tikmatrix<{ task_ids: number[]; created_count: number }>('/api/v1/task', {
        method: 'POST',
        body: {
          [mode]: targets,
          script_name: script,
          script_config: compact(config),
          start_time: startTime || undefined,
          min_interval: minInterval === '' ? undefined : Number(minInterval),
          max_interval: maxInterval === '' ? undefined : Number(maxInterval),
          enable_multi_account: mode === 'serials' ? multi : undefined,
        },
      }),
    onSuccess: () => invalidateAll(qc),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  const targetOptions = mode === 'serials' ? (devices.data?.devices ?? []).map((d) => d.serial) : (accounts.data?.accounts ?? []).map((a) => a.username);
  return (
    <Card withBorder>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text fw={600}>New task</Text>
          <Group align="end">
            <SegmentedControl
              value={mode}
              onChange={(v) => (setMode(v as typeof mode), setTargets([]))}
              data={[
                { value: 'serials', label: 'By phone' },
                { value: 'usernames', label: 'By account' },
              ]}
            />
            <MultiSelect
              label={mode === 'serials' ? 'Phones' : 'Accounts'}
              data={targetOptions}
              value={targets}
              onChange={setTargets}
              searchable
              miw={220}
              data-testid="targets"
            />
            <Select
              label="Script"
              data={(scripts.data?.scripts ?? []).map((s) => s.name)}
              value={script}
              onChange={(v) => (setScript(v), setConfig({}))}
              allowDeselect={false}
              data-testid="script"
            />
          </Group>
          {schema && <SchemaFields schema={schema} values={config} onChange={setConfig} />}
          <Group align="end">
            <TextInput
              label="Start time"
              description="HH:MM today (TZ); empty: now"
              type="time"
              value={startTime}
              onChange={(e) => setStartTime(e.currentTarget.value)}
            />
            <NumberInput label="Min interval (min)" min={0} max={1440} value={minInterval} onChange={setMinInterval} w={150} />
            <NumberInput label="Max interval (min)" min={0} max={1440} value={maxInterval} onChange={setMaxInterval} w={150} />
            {mode === 'serials' && (
              <Switch label="Every enabled account on the phone" checked={multi} onChange={(e) => setMulti(e.currentTarget.checked)} mb={8} />
            )}
          </Group>
          {create.error && (
            <Alert color="red" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          {create.data && (
            <Text c="teal" size="sm" data-testid="created">
              Created {create.data.created_count} task(s): {create.data.task_ids.join(', ')}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create task
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

interface Filters {
  status: string | null;
  serial: string;
  script_name: string | null;
  source: string | null;
}

function TaskList() {
  const qc = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ status: null, serial: '', script_name: null, source: null });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const pageSize = 20;
  const scripts = useQuery({ queryKey: ['scripts'], queryFn: () => tikmatrix<{ scripts: ScriptInfo[] }>('/api/v1/script'), staleTime: Infinity });
  const query = { page, page_size: pageSize, status: filters.status, serial: filters.serial.trim(), script_name: filters.script_name, source: filters.source };
  const list = useQuery({ queryKey: ['device-tasks', query], queryFn: () => tikmatrix<DeviceTaskPage>('/api/v1/task', { query }) });
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const command = useMutation({
    mutationFn: ({ id, action }: { id: number; action: 'stop' | 'retry' | 'delete' }) =>
      action === 'delete' ? tikmatrix(`/api/v1/task/${id}`, { method: 'DELETE' }) : tikmatrix(`/api/v1/task/${id}/${action}`, { method: 'POST' }),
    onSuccess: () => invalidateAll(qc),
  });
  const batchDelete = useMutation({
    mutationFn: () => tikmatrix('/api/v1/task/batch', { method: 'DELETE', body: { task_ids: selected } }),
    onSuccess: () => {
      setSelected([]);
      invalidateAll(qc);
    },
  });
  const retryAll = useMutation({
    mutationFn: () => tikmatrix<{ retried_count: number; skipped_count: number }>('/api/v1/task/retry-all', { method: 'POST' }),
    onSuccess: () => invalidateAll(qc),
  });
  const error = command.error ?? batchDelete.error ?? retryAll.error;
  const tasks = list.data?.tasks ?? [];

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group align="end" gap="sm">
          <Select label="Status" data={DEVICE_STATUS.options} value={filters.status} onChange={(v) => set({ status: v })} clearable placeholder="any" w={130} />
          <TextInput label="Phone" placeholder="serial" value={filters.serial} onChange={(e) => set({ serial: e.currentTarget.value })} w={180} />
          <Select
            label="Script"
            data={(scripts.data?.scripts ?? []).map((s) => s.name)}
            value={filters.script_name}
            onChange={(v) => set({ script_name: v })}
            clearable
            placeholder="any"
            w={160}
          />
          <Select label="Source" data={['api', 'ui']} value={filters.source} onChange={(v) => set({ source: v })} clearable placeholder="any" w={100} />
          <Button variant="light" color="red" disabled={selected.length === 0} onClick={() => batchDelete.mutate()} loading={batchDelete.isPending}>
            Delete selected ({selected.length})
          </Button>
          <Button variant="light" leftSection={<IconRefresh size={16} />} onClick={() => retryAll.mutate()} loading={retryAll.isPending}>
            Retry all failed
          </Button>
        </Group>
        {error && <Alert color="red">{errorMessage(error)}</Alert>}
        {retryAll.data && (
          <Text size="sm" c="dimmed">
            Retried {retryAll.data.retried_count}, skipped {retryAll.data.skipped_count}.
          </Text>
        )}
        <QueryState loading={list.isLoading} error={list.error} />
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <Checkbox
                    aria-label="select all"
                    checked={tasks.length > 0 && tasks.every((t) => selected.includes(t.id))}
                    onChange={(e) => setSelected(e.currentTarget.checked ? tasks.map((t) => t.id) : [])}
                  />
                </Table.Th>
                <Table.Th>Task</Table.Th>
                <Table.Th>Phone / account</Table.Th>
                <Table.Th>Script</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Times</Table.Th>
                <Table.Th>Remark</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tasks.map((t) => (
                <TaskRow
                  key={t.id}
                  task={t}
                  selected={selected.includes(t.id)}
                  onSelect={(on) => setSelected((s) => (on ? [...s, t.id] : s.filter((id) => id !== t.id)))}
                  onCommand={(action) => command.mutate({ id: t.id, action })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data && tasks.length === 0 && <Text c="dimmed">No tasks match.</Text>}
        {list.data && <Pager page={page} pageSize={pageSize} total={list.data.total} onChange={setPage} />}
      </Stack>
    </Card>
  );
}

function TaskRow({
  task,
  selected,
  onSelect,
  onCommand,
}: {
  task: DeviceTask;
  selected: boolean;
  onSelect(on: boolean): void;
  onCommand(action: 'stop' | 'retry' | 'delete'): void;
}) {
  const active = task.status === DEVICE_STATUS.pending || task.status === DEVICE_STATUS.running;
  return (
    <Table.Tr data-testid={`device-task-${task.id}`}>
      <Table.Td>
        <Checkbox aria-label={`select ${task.id}`} checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">#{task.id}</Text>
        <WorkflowLink workflowId={task.workflow_id} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="mono">
          {task.serial}
        </Text>
        {task.username && <Text size="xs">@{task.username}</Text>}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{task.script_name}</Text>
        {task.retry_count > 0 && (
          <Text size="xs" c="dimmed">
            retry {task.retry_count}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <StatusBadge status={DEVICE_STATUS.name(task.status)} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{task.start_time ? `start ${task.start_time}` : 'not started'}</Text>
        {task.end_time && <Text size="xs">end {task.end_time}</Text>}
      </Table.Td>
      <Table.Td maw={260}>
        <Text size="xs" lineClamp={2} title={task.remark} data-testid="remark">
          {task.remark || '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Stop">
            <ActionIcon variant="light" disabled={!active} onClick={() => onCommand('stop')} aria-label={`stop ${task.id}`}>
              <IconPlayerStop size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Retry">
            <ActionIcon variant="light" disabled={task.status !== DEVICE_STATUS.failed} onClick={() => onCommand('retry')} aria-label={`retry ${task.id}`}>
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete">
            <ActionIcon variant="light" color="red" onClick={() => onCommand('delete')} aria-label={`delete ${task.id}`}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
