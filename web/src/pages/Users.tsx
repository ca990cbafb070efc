import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Drawer,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../api/client';
import { ROLE, type LogEntry, type Page, type User, type UserWithToken } from '../api/types';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { formatQuota, formatTime } from '../lib/format';

const ROLE_NAMES: Record<number, string> = { [ROLE.user]: 'user', [ROLE.admin]: 'admin', [ROLE.root]: 'root' };

/** Users (new-api's /api/user/): create, change quota (the ledger records the difference), and each one's ledger entries. */
export function UsersPage() {
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<User | null>(null);
  const [ledgerOf, setLedgerOf] = useState<User | null>(null);
  const pageSize = 20;
  const query = { p: page, page_size: pageSize, keyword: keyword.trim() };
  const list = useQuery({ queryKey: ['users', query], queryFn: () => api<Page<User>>('/api/user/', { query }) });

  return (
    <Stack>
      <Title order={3}>Users</Title>
      <CreateUser />
      <Card withBorder p={0}>
        <Group p="sm">
          <TextInput
            placeholder="search username"
            value={keyword}
            onChange={(e) => (setKeyword(e.currentTarget.value), setPage(1))}
            aria-label="search users"
          />
        </Group>
        <QueryState loading={list.isLoading} error={list.error} />
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Username</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Quota</Table.Th>
                <Table.Th>Used</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((u) => (
                <Table.Tr key={u.id} data-testid={`user-${u.username}`}>
                  <Table.Td>{u.id}</Table.Td>
                  <Table.Td>{u.username}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{ROLE_NAMES[u.role] ?? u.role}</Badge>
                  </Table.Td>
                  <Table.Td data-testid="quota">{formatQuota(u.quota)}</Table.Td>
                  <Table.Td>{formatQuota(u.used_quota)}</Table.Td>
                  <Table.Td>{u.status === 1 ? 'enabled' : 'disabled'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" onClick={() => setEditing(u)}>
                        Edit quota
                      </Button>
                      <Button size="compact-xs" variant="subtle" onClick={() => setLedgerOf(u)}>
                        Ledger
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {list.data && <Pager page={page} pageSize={pageSize} total={list.data.total} onChange={setPage} />}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={`Quota of ${editing?.username ?? ''}`}>
        {editing && <EditQuota user={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Drawer opened={ledgerOf !== null} onClose={() => setLedgerOf(null)} title={`Ledger of ${ledgerOf?.username ?? ''}`} position="right" size="xl">
        {ledgerOf && <Ledger userId={ledgerOf.id} />}
      </Drawer>
    </Stack>
  );
}

function CreateUser() {
  const qc = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [quota, setQuota] = useState<number | string>(1_000_000);
  const [role, setRole] = useState<string | null>(String(ROLE.user));
  const create = useMutation({
    mutationFn: () => api<UserWithToken>('/api/user/', { method: 'POST', body: { username, password, quota: Number(quota), role: Number(role) } }),
    onSuccess: () => {
      setUsername('');
      setPassword('');
      void qc.invalidateQueries({ queryKey: ['users'] });
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
          <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
          <PasswordInput label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required autoComplete="new-password" />
          <NumberInput label="Quota" min={0} value={quota} onChange={setQuota} thousandSeparator="," w={160} />
          <Select
            label="Role"
            w={110}
            data={[
              { value: String(ROLE.user), label: 'user' },
              { value: String(ROLE.admin), label: 'admin' },
            ]}
            value={role}
            onChange={setRole}
            allowDeselect={false}
          />
          <Button type="submit" loading={create.isPending}>
            Create user
          </Button>
        </Group>
      </form>
      {create.error && (
        <Alert color="red" mt="sm">
          {errorMessage(create.error)}
        </Alert>
      )}
      {create.data && (
        <Alert color="teal" mt="sm" title={`${create.data.username} created; access token (shown once)`}>
          <Code>{create.data.access_token}</Code>
        </Alert>
      )}
    </Card>
  );
}

function EditQuota({ user, onDone }: { user: User; onDone(): void }) {
  const qc = useQueryClient();
  const [quota, setQuota] = useState<number | string>(user.quota);
  const save = useMutation({
    mutationFn: () => api<User>('/api/user/', { method: 'PUT', body: { id: user.id, quota: Number(quota) } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['self'] });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Now {formatQuota(user.quota)}. The ledger records the difference as an adjustment.
        </Text>
        <NumberInput label="New quota" min={0} value={quota} onChange={setQuota} thousandSeparator="," data-autofocus />
        {save.error && <Alert color="red">{errorMessage(save.error)}</Alert>}
        <Button type="submit" loading={save.isPending}>
          Save quota
        </Button>
      </Stack>
    </form>
  );
}

const KIND_COLOR: Record<string, string> = { topup: 'teal', adjustment: 'indigo', charge: 'orange', refund: 'cyan' };

/** GET /api/log/?user_id=…: every movement of this user's balance, newest first. */
export function Ledger({ userId }: { userId: number }) {
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const q = useQuery({
    queryKey: ['ledger', userId, page],
    queryFn: () => api<Page<LogEntry>>('/api/log/', { query: { user_id: userId, p: page, page_size: pageSize } }),
  });
  return (
    <Stack data-testid="ledger">
      <QueryState loading={q.isLoading} error={q.error} />
      <Table.ScrollContainer minWidth={520}>
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Balance after</Table.Th>
              <Table.Th>For</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data?.items.map((e) => (
              <Table.Tr key={e.id} data-testid={`ledger-${e.kind}`}>
                <Table.Td>
                  <Text size="xs">{formatTime(e.created_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={KIND_COLOR[e.kind]} variant="light">
                    {e.kind}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right" c={e.amount < 0 ? 'red' : 'teal'} data-testid="amount">
                  {e.amount > 0 ? '+' : ''}
                  {e.amount.toLocaleString()}
                </Table.Td>
                <Table.Td ta="right">{e.balance_after.toLocaleString()}</Table.Td>
                <Table.Td>
                  <Text size="xs" className="mono">
                    {e.task_ref ?? e.remark}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.data && <Pager page={page} pageSize={pageSize} total={q.data.total} onChange={setPage} />}
    </Stack>
  );
}
