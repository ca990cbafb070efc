import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Code, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import type { Page, Token } from '../api/types';
import { QueryState } from '../components/QueryState';
import { formatQuota, formatTime } from '../lib/format';
import { useRememberedKeys } from '../lib/keys';
import { useSession } from '../lib/session';

/** The caller's sk- keys (/api/token/). A new key is shown once and remembered in this browser for the playground and drawings. */
export function KeysPage() {
  const { user } = useSession();
  const qc = useQueryClient();
  const { keys: remembered, remember, forget } = useRememberedKeys(user?.id);
  const list = useQuery({ queryKey: ['tokens'], queryFn: () => api<Page<Token>>('/api/token/', { query: { p: 1, page_size: 100 } }) });
  const [name, setName] = useState('');
  const [unlimited, setUnlimited] = useState(true);
  const [remain, setRemain] = useState<number | string>(500_000);
  const [created, setCreated] = useState<Token | null>(null);

  const create = useMutation({
    mutationFn: () =>
      api<Token>('/api/token/', { method: 'POST', body: { name, unlimited_quota: unlimited, ...(unlimited ? {} : { remain_quota: Number(remain) }) } }),
    onSuccess: (token) => {
      setCreated(token);
      remember({ id: token.id, name: token.name, key: token.key });
      setName('');
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/api/token/${id}`, { method: 'DELETE' }),
    onSuccess: (_r, id) => {
      forget(id);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const toggle = useMutation({
    mutationFn: (t: Token) => api('/api/token/', { method: 'PUT', body: { id: t.id, status: t.status === 1 ? 2 : 1 } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['tokens'] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <Stack>
      <Title order={3}>API keys</Title>
      <Card withBorder>
        <form onSubmit={submit}>
          <Group align="end">
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required w={200} />
            <Switch label="Unlimited" checked={unlimited} onChange={(e) => setUnlimited(e.currentTarget.checked)} mb={8} />
            {!unlimited && <NumberInput label="Quota" min={0} value={remain} onChange={setRemain} w={160} />}
            <Button type="submit" loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </form>
        {create.error && (
          <Alert color="red" mt="sm">
            {errorMessage(create.error)}
          </Alert>
        )}
        {created && (
          <Alert color="teal" mt="sm" title="New key (shown once; remembered in this browser)">
            <Code data-testid="new-key">{created.key}</Code>
          </Alert>
        )}
      </Card>
      <Card withBorder p={0}>
        <QueryState loading={list.isLoading} error={list.error} />
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Quota left / used</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    {t.name} {remembered.some((k) => k.id === t.id) && <Badge size="xs">in this browser</Badge>}
                  </Table.Td>
                  <Table.Td className="mono">{t.key}</Table.Td>
                  <Table.Td>
                    {t.unlimited_quota ? 'unlimited' : formatQuota(t.remain_quota)} / {formatQuota(t.used_quota)}
                  </Table.Td>
                  <Table.Td>{formatTime(t.created_time)}</Table.Td>
                  <Table.Td>
                    <Switch checked={t.status === 1} onChange={() => toggle.mutate(t)} aria-label={`enable ${t.name}`} />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" onClick={() => remove.mutate(t.id)} aria-label={`delete ${t.name}`}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data?.items.length === 0 && (
          <Text c="dimmed" p="md">
            No keys yet.
          </Text>
        )}
      </Card>
    </Stack>
  );
}
