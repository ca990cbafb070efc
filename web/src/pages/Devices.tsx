import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, Drawer, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconListDetails, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage, tikmatrix } from '../api/client';
import type { Account, Device, DeviceTaskPage } from '../api/types';
import { QueryState } from '../components/QueryState';
import { StatusBadge } from '../components/StatusBadge';
import { WorkflowLink } from '../components/WorkflowLink';
import { DEVICE_STATUS } from '../lib/device-status';

export const useDevices = () =>
  useQuery({ queryKey: ['devices'], queryFn: () => tikmatrix<{ devices: Device[]; total: number }>('/api/v1/device', { query: { page: 1, page_size: 100 } }) });
export const useAccounts = () =>
  useQuery({
    queryKey: ['accounts'],
    queryFn: () => tikmatrix<{ accounts: Account[]; total: number }>('/api/v1/account', { query: { page: 1, page_size: 100 } }),
  });

/** Phones (with Appium capability overrides) and the accounts logged in on them; each phone's queue. */
export function DevicesPage() {
  const qc = useQueryClient();
  const devices = useDevices();
  const accounts = useAccounts();
  const [queueOf, setQueueOf] = useState<string | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['devices'] });
    void qc.invalidateQueries({ queryKey: ['accounts'] });
  };
  const removeDevice = useMutation({ mutationFn: (serial: string) => tikmatrix('/api/v1/device', { method: 'DELETE', body: { serial } }), onSuccess: refresh });
  const removeAccount = useMutation({
    mutationFn: (username: string) => tikmatrix('/api/v1/account', { method: 'DELETE', body: { username } }),
    onSuccess: refresh,
  });

  return (
    <Stack>
      <Title order={3}>Phones</Title>
      <AddDevice onDone={refresh} />
      {(removeDevice.error || removeAccount.error) && <Alert color="red">{errorMessage(removeDevice.error ?? removeAccount.error)}</Alert>}
      <Card withBorder p={0}>
        <QueryState loading={devices.isLoading} error={devices.error} />
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Serial</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Capabilities</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {devices.data?.devices.map((d) => (
                <Table.Tr key={d.serial} data-testid={`phone-${d.serial}`}>
                  <Table.Td className="mono">{d.serial}</Table.Td>
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td maw={320}>
                    <Text size="xs" className="mono" lineClamp={2}>
                      {d.capabilities ? JSON.stringify(d.capabilities) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={d.enabled ? 'teal' : 'gray'} variant="light">
                      {d.enabled ? 'enabled' : 'disabled'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" leftSection={<IconListDetails size={14} />} onClick={() => setQueueOf(d.serial)}>
                        Queue
                      </Button>
                      <ActionIcon variant="subtle" color="red" onClick={() => removeDevice.mutate(d.serial)} aria-label={`remove ${d.serial}`}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Title order={4}>Accounts</Title>
      <AddAccount devices={devices.data?.devices ?? []} onDone={refresh} />
      <Card withBorder p={0}>
        <QueryState loading={accounts.isLoading} error={accounts.error} />
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Username</Table.Th>
                <Table.Th>Phone</Table.Th>
                <Table.Th>App package</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {accounts.data?.accounts.map((a) => (
                <Table.Tr key={a.username}>
                  <Table.Td>@{a.username}</Table.Td>
                  <Table.Td className="mono">{a.device}</Table.Td>
                  <Table.Td className="mono">{a.package}</Table.Td>
                  <Table.Td>{a.enabled ? 'enabled' : 'disabled'}</Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" onClick={() => removeAccount.mutate(a.username)} aria-label={`remove @${a.username}`}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Drawer opened={queueOf !== null} onClose={() => setQueueOf(null)} title={`Queue of ${queueOf ?? ''}`} position="right" size="md">
        {queueOf && <PhoneQueue serial={queueOf} />}
      </Drawer>
    </Stack>
  );
}

/** A phone's queue: its running task, then its pending ones (one task runs per phone at a time). */
export function PhoneQueue({ serial }: { serial: string }) {
  const load = (status: number) => tikmatrix<DeviceTaskPage>('/api/v1/task', { query: { serial, status, page: 1, page_size: 100 } });
  const q = useQuery({
    queryKey: ['phone-queue', serial],
    queryFn: async () => {
      const [running, pending] = await Promise.all([load(DEVICE_STATUS.running), load(DEVICE_STATUS.pending)]);
      return [...running.tasks, ...pending.tasks.reverse()];
    },
  });
  return (
    <Stack gap="xs" data-testid="phone-queue">
      <QueryState loading={q.isLoading} error={q.error} />
      {q.data?.length === 0 && <Text c="dimmed">Nothing queued.</Text>}
      {q.data?.map((t) => (
        <Card key={t.id} withBorder padding="xs">
          <Group justify="space-between">
            <Text size="sm">
              #{t.id} {t.script_name} {t.username && `@${t.username}`}
            </Text>
            <StatusBadge status={DEVICE_STATUS.name(t.status)} />
          </Group>
          <Text size="xs" c="dimmed">
            {t.scheduled_time ? `due ${t.scheduled_time}` : t.start_time ? `started ${t.start_time}` : 'as soon as the phone is free'}
          </Text>
          <WorkflowLink workflowId={t.workflow_id} />
        </Card>
      ))}
    </Stack>
  );
}

function AddDevice({ onDone }: { onDone(): void }) {
  const [serial, setSerial] = useState('');
  const [name, setName] = useState('');
  const [caps, setCaps] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => {
      let capabilities: unknown;
      if (caps.trim()) {
        try {
          capabilities = JSON.parse(caps);
        } catch {
          throw new Error('Capabilities must be a JSON object, e.g. {"systemPort": 8201}');
        }
      }
      return tikmatrix('/api/v1/device', { method: 'POST', body: { serial, name: name || undefined, capabilities } });
    },
    onSuccess: () => {
      setSerial('');
      setName('');
      setCaps('');
      setError(null);
      onDone();
    },
    onError: (err) => setError(errorMessage(err)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Card withBorder>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Group align="end">
            <TextInput label="Serial" placeholder="emulator-5554" value={serial} onChange={(e) => setSerial(e.currentTarget.value)} required />
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button type="submit" loading={save.isPending}>
              Save phone
            </Button>
          </Group>
          <Textarea
            label="Appium capabilities (JSON, optional)"
            placeholder='{"systemPort": 8201}'
            value={caps}
            onChange={(e) => setCaps(e.currentTarget.value)}
            autosize
            minRows={1}
          />
          {error && <Alert color="red">{error}</Alert>}
        </Stack>
      </form>
    </Card>
  );
}

function AddAccount({ devices, onDone }: { devices: Device[]; onDone(): void }) {
  const [username, setUsername] = useState('');
  const [device, setDevice] = useState<string | null>(null);
  const [pkg, setPkg] = useState('');
  const save = useMutation({
    mutationFn: () => tikmatrix('/api/v1/account', { method: 'POST', body: { username, device, package: pkg || undefined } }),
    onSuccess: () => {
      setUsername('');
      onDone();
    },
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Group align="end">
          <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
          <Select label="Phone" data={devices.map((d) => d.serial)} value={device} onChange={setDevice} required searchable />
          <TextInput label="App package" placeholder="com.zhiliaoapp.musically" value={pkg} onChange={(e) => setPkg(e.currentTarget.value)} />
          <Button type="submit" loading={save.isPending}>
            Save account
          </Button>
        </Group>
        {save.error && (
          <Alert color="red" mt="sm">
            {errorMessage(save.error)}
          </Alert>
        )}
      </form>
    </Card>
  );
}
