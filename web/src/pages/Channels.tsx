import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Button, Card, Group, NumberInput, PasswordInput, Select, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import type { Channel, Page } from '../api/types';
import { QueryState } from '../components/QueryState';
import { formatQuota } from '../lib/format';

// new-api's channel type numbers (db/entities/channel.ts).
const TYPES = [
  { value: '36', label: 'Suno API (36)' },
  { value: '2', label: 'Midjourney proxy (2)' },
  { value: '5', label: 'Midjourney Plus (5)' },
];
const STATUS = { 1: 'enabled', 2: 'disabled', 3: 'auto-disabled' } as Record<number, string>;

/** Upstream channels (/api/channel/): keys are write-only, so the list never shows them. */
export function ChannelsPage() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['channels'], queryFn: () => api<Page<Channel>>('/api/channel/', { query: { p: 1, page_size: 100 } }) });
  const refresh = () => qc.invalidateQueries({ queryKey: ['channels'] });
  const toggle = useMutation({
    mutationFn: (c: Channel) => api('/api/channel/', { method: 'PUT', body: { id: c.id, status: c.status === 1 ? 2 : 1 } }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: number) => api(`/api/channel/${id}`, { method: 'DELETE' }), onSuccess: refresh });
  return (
    <Stack>
      <Title order={3}>Channels</Title>
      <CreateChannel onDone={refresh} />
      {(toggle.error || remove.error) && <Alert color="red">{errorMessage(toggle.error ?? remove.error)}</Alert>}
      <Card withBorder p={0}>
        <QueryState loading={list.isLoading} error={list.error} />
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Base URL</Table.Th>
                <Table.Th>Priority / weight</Table.Th>
                <Table.Th>Used</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.id}</Table.Td>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{TYPES.find((t) => t.value === String(c.type))?.label ?? c.type}</Table.Td>
                  <Table.Td className="mono">{c.base_url}</Table.Td>
                  <Table.Td>
                    {c.priority} / {c.weight}
                  </Table.Td>
                  <Table.Td>{formatQuota(c.used_quota)}</Table.Td>
                  <Table.Td>
                    <Switch checked={c.status === 1} onChange={() => toggle.mutate(c)} label={STATUS[c.status]} aria-label={`enable ${c.name}`} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" onClick={() => remove.mutate(c.id)} aria-label={`delete ${c.name}`}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

function CreateChannel({ onDone }: { onDone(): void }) {
  const [type, setType] = useState<string | null>('36');
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [priority, setPriority] = useState<number | string>(0);
  const create = useMutation({
    mutationFn: () => api('/api/channel/', { method: 'POST', body: { type: Number(type), name, key, base_url: baseUrl, priority: Number(priority) } }),
    onSuccess: () => {
      setName('');
      setKey('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit}>
        <Group align="end">
          <Select label="Type" data={TYPES} value={type} onChange={setType} allowDeselect={false} w={200} />
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          <TextInput label="Base URL" placeholder="https://…" value={baseUrl} onChange={(e) => setBaseUrl(e.currentTarget.value)} required />
          <PasswordInput label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} required autoComplete="off" />
          <NumberInput label="Priority" value={priority} onChange={setPriority} w={100} />
          <Button type="submit" loading={create.isPending}>
            Add channel
          </Button>
        </Group>
      </form>
      {create.error && (
        <Alert color="red" mt="sm">
          {errorMessage(create.error)}
        </Alert>
      )}
    </Card>
  );
}
