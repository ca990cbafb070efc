import { useState } from 'react';
import { Alert, Button, Card, Group, Image, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage, mjSubmit } from '../api/client';
import type { MjLog, MjTask, Page } from '../api/types';
import { KeyPicker } from '../components/KeyPicker';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { StatusBadge } from '../components/StatusBadge';
import { TaskProgress } from '../components/TaskProgress';
import { WorkflowLink } from '../components/WorkflowLink';
import { formatQuota, formatTime, toSeconds } from '../lib/format';
import { useSession } from '../lib/session';

const IN_FLIGHT = new Set(['NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL']);

/** new-api's drawing log as thumbnails (through /mj/image/:id), with midjourney-proxy's buttons on finished images. */
export function DrawingsPage() {
  const { admin, user } = useSession();
  const [page, setPage] = useState(1);
  const [mjId, setMjId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [userId, setUserId] = useState<number | string>('');
  const [key, setKey] = useState('');
  const pageSize = 12;
  // Seed 001's filters; the drawing log takes milliseconds (seconds are accepted too).
  const ms = (local: string) => (toSeconds(local) === undefined ? undefined : toSeconds(local)! * 1000);
  const query = { p: page, page_size: pageSize, mj_id: mjId.trim(), start_timestamp: ms(from), end_timestamp: ms(to), user_id: admin ? userId : undefined };
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => (set(v), setPage(1));
  const list = useQuery({ queryKey: ['mj', admin, query], queryFn: () => api<Page<MjLog>>(admin ? '/api/mj/' : '/api/mj/self', { query }) });

  return (
    <Stack>
      <Title order={3}>Drawings</Title>
      <Card withBorder>
        <Group align="end">
          <TextInput label="Task id" placeholder="mj_id" value={mjId} onChange={(e) => filter(setMjId)(e.currentTarget.value)} w={220} />
          <TextInput label="From" type="datetime-local" value={from} onChange={(e) => filter(setFrom)(e.currentTarget.value)} />
          <TextInput label="To" type="datetime-local" value={to} onChange={(e) => filter(setTo)(e.currentTarget.value)} />
          {admin && <NumberInput label="User" min={1} value={userId} onChange={filter(setUserId)} w={100} />}
          <div style={{ minWidth: 260 }}>
            <KeyPicker value={key} onChange={setKey} />
          </div>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          Buttons (U1…V4, reroll…) act through /mj/submit/action with the chosen key; only your own drawings can be acted on.
        </Text>
      </Card>
      <QueryState loading={list.isLoading} error={list.error} />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }}>
        {list.data?.items.map((t) => (
          <DrawingCard key={t.mj_id} task={t} admin={admin} actKey={!admin || t.user_id === user?.id ? key : ''} />
        ))}
      </SimpleGrid>
      {list.data?.items.length === 0 && <Text c="dimmed">No drawings yet: try the playground.</Text>}
      {list.data && <Pager page={page} pageSize={pageSize} total={list.data.total} onChange={setPage} />}
    </Stack>
  );
}

function DrawingCard({ task, admin, actKey }: { task: MjLog; admin: boolean; actKey: string }) {
  const running = IN_FLIGHT.has(task.status);
  return (
    <Card withBorder padding="sm" data-testid={`drawing-${task.mj_id}`}>
      <Card.Section>
        {task.image_url ? (
          <Image src={`/mj/image/${encodeURIComponent(task.mj_id)}`} alt={task.prompt} className="thumb" loading="lazy" />
        ) : (
          <div className="thumb" />
        )}
      </Card.Section>
      <Stack gap={6} mt="sm">
        <Group justify="space-between">
          <Text fw={600} size="sm">
            {task.action}
          </Text>
          <StatusBadge status={task.status} />
        </Group>
        <TaskProgress progress={task.progress} running={running} />
        <Text size="sm" lineClamp={2} title={task.prompt}>
          {task.prompt || '—'}
        </Text>
        {task.fail_reason && (
          <Text size="xs" c="red" data-testid="fail-reason">
            {task.fail_reason}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {formatTime(task.submit_time)} · {formatQuota(task.quota)}
          {admin ? ` · user #${task.user_id}` : ''}
        </Text>
        <WorkflowLink workflowId={`mj-${task.mj_id}`} />
        {task.status === 'SUCCESS' && actKey && <ActionButtons mjId={task.mj_id} actKey={actKey} />}
      </Stack>
    </Card>
  );
}

/** midjourney-proxy leaves `label` empty on emoji buttons (🔄 reroll, arrows): name them after their custom id's action. */
function buttonLabel(b: { label: string; emoji: string; customId: string }): string {
  if (b.label) return b.label;
  const action = b.customId.split('::')[2];
  return action ? action.replace(/_/g, ' ') : b.emoji;
}

const SUBMIT_OUTCOME: Record<number, string> = { 1: 'submitted', 21: 'waiting for its modal', 22: 'queued' };

/** The finished task's buttons come from the relay's task JSON (GET /mj/task/:id/fetch), which needs the owner's key. */
function ActionButtons({ mjId, actKey }: { mjId: string; actKey: string }) {
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: ['mj-buttons', mjId, actKey],
    queryFn: async () => {
      const res = await fetch(`/mj/task/${encodeURIComponent(mjId)}/fetch`, { headers: { authorization: `Bearer ${actKey}` } });
      if (!res.ok) throw new Error(`fetch ${res.status}`);
      return (await res.json()) as MjTask;
    },
    staleTime: Infinity,
  });
  const act = useMutation({
    mutationFn: (customId: string) => mjSubmit('action', actKey, { taskId: mjId, customId }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['mj'] }),
  });
  if (detail.error)
    return (
      <Text size="xs" c="dimmed">
        Buttons need this drawing owner's key.
      </Text>
    );
  const buttons = detail.data?.buttons ?? [];
  return (
    <Stack gap={4}>
      <Group gap={4}>
        {buttons.map((b) => (
          <Button
            key={b.customId}
            size="compact-xs"
            variant="light"
            onClick={() => act.mutate(b.customId)}
            loading={act.isPending && act.variables === b.customId}
          >
            {buttonLabel(b)}
          </Button>
        ))}
      </Group>
      {act.error && (
        <Alert color="red" p="xs">
          {errorMessage(act.error)}
        </Alert>
      )}
      {act.data && (
        <Text size="xs" c="teal" data-testid="action-result">
          {SUBMIT_OUTCOME[act.data.code] ?? act.data.description}: {act.data.result}
        </Text>
      )}
    </Stack>
  );
}
