import { useState, type FormEvent } from 'react';
import { Alert, Button, Card, Grid, Image, Select, Stack, Switch, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, errorMessage, mjSubmit, sunoRelay } from '../api/client';
import type { MjLog, Page, Task } from '../api/types';
import { KeyPicker } from '../components/KeyPicker';
import { StatusBadge } from '../components/StatusBadge';
import { TaskProgress } from '../components/TaskProgress';
import { WorkflowLink } from '../components/WorkflowLink';
import { clipAudioSrc, clipsOf } from '../lib/clips';
import { formatQuota } from '../lib/format';

type Submitted = { kind: 'suno'; id: string } | { kind: 'mj'; id: string };

/** Submit a song or an imagine through the relay routes with one of your keys, and watch it to the end (live, via /api/events). */
export function PlaygroundPage() {
  const [key, setKey] = useState('');
  const [submitted, setSubmitted] = useState<Submitted[]>([]);
  const add = (s: Submitted) => setSubmitted((list) => [s, ...list].slice(0, 5));

  return (
    <Stack>
      <Title order={3}>Playground</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Stack>
              <KeyPicker value={key} onChange={setKey} />
              <Tabs defaultValue="suno">
                <Tabs.List>
                  <Tabs.Tab value="suno">Suno song</Tabs.Tab>
                  <Tabs.Tab value="mj">Midjourney imagine</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="suno" pt="md">
                  <SunoForm apiKey={key} onSubmitted={(id) => add({ kind: 'suno', id })} />
                </Tabs.Panel>
                <Tabs.Panel value="mj" pt="md">
                  <ImagineForm apiKey={key} onSubmitted={(id) => add({ kind: 'mj', id })} />
                </Tabs.Panel>
              </Tabs>
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack>
            {submitted.length === 0 && <Text c="dimmed">Submitted tasks appear here and update as they run.</Text>}
            {submitted.map((s) => (s.kind === 'suno' ? <WatchSong key={s.id} taskId={s.id} /> : <WatchImagine key={s.id} mjId={s.id} />))}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function useSubmit(apiKey: string, work: () => Promise<string>, onSubmitted: (id: string) => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!apiKey) return setError('Choose or paste an sk- key first (create one on the API keys page).');
    setBusy(true);
    setError(null);
    try {
      onSubmitted(await work());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function SunoForm({ apiKey, onSubmitted }: { apiKey: string; onSubmitted(id: string): void }) {
  const [prompt, setPrompt] = useState('');
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState('');
  const [mv, setMv] = useState<string | null>('chirp-v3-5');
  const [instrumental, setInstrumental] = useState(false);
  const body = { gpt_description_prompt: prompt, title: title || undefined, tags: tags || undefined, mv: mv ?? undefined, make_instrumental: instrumental };
  const { error, busy, submit } = useSubmit(apiKey, () => sunoRelay<string>('/suno/submit/music', apiKey, body), onSubmitted);
  return (
    <form onSubmit={submit}>
      <Stack>
        <Textarea label="Describe the song" value={prompt} onChange={(e) => setPrompt(e.currentTarget.value)} required autosize minRows={2} />
        <TextInput label="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <TextInput label="Tags" placeholder="pop, lofi" value={tags} onChange={(e) => setTags(e.currentTarget.value)} />
        <Select label="Model" data={['chirp-v3-5', 'chirp-v3-0', 'chirp-v4']} value={mv} onChange={setMv} />
        <Switch label="Instrumental" checked={instrumental} onChange={(e) => setInstrumental(e.currentTarget.checked)} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Submit song
        </Button>
      </Stack>
    </form>
  );
}

function ImagineForm({ apiKey, onSubmitted }: { apiKey: string; onSubmitted(id: string): void }) {
  const [prompt, setPrompt] = useState('');
  const { error, busy, submit } = useSubmit(
    apiKey,
    async () => {
      const reply = await mjSubmit('imagine', apiKey, { prompt });
      return reply.result!;
    },
    onSubmitted,
  );
  return (
    <form onSubmit={submit}>
      <Stack>
        <Textarea
          label="Prompt"
          placeholder="a lighthouse at dawn --ar 3:2"
          value={prompt}
          onChange={(e) => setPrompt(e.currentTarget.value)}
          required
          autosize
          minRows={2}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Imagine
        </Button>
      </Stack>
    </form>
  );
}

const SUNO_IN_FLIGHT = new Set(['NOT_START', 'SUBMITTED', 'QUEUED', 'IN_PROGRESS']);

/** One task's row from the same list route the Tasks page reads; /api/events patches it in place. */
function WatchSong({ taskId }: { taskId: string }) {
  const q = useQuery({ queryKey: ['tasks', 'watch', taskId], queryFn: () => api<Page<Task>>('/api/task/self', { query: { task_id: taskId, page_size: 1 } }) });
  const task = q.data?.items[0];
  return (
    <Card withBorder data-testid={`watch-${taskId}`}>
      <Stack gap="xs">
        <Text size="xs" className="mono">
          {taskId}
        </Text>
        {task ? (
          <>
            <StatusBadge status={task.status} />
            <TaskProgress progress={task.progress} running={SUNO_IN_FLIGHT.has(task.status)} />
            <Text size="xs" c="dimmed">
              charged {formatQuota(task.quota)}
            </Text>
            {task.fail_reason && <Text c="red">{task.fail_reason}</Text>}
            {clipsOf(task)
              .filter((c) => c.audio_url && task.status === 'SUCCESS')
              .map((c) => (
                <audio key={c.id} controls preload="none" src={clipAudioSrc(taskId, c.id)} data-testid="clip-audio" style={{ width: '100%' }} />
              ))}
          </>
        ) : (
          <Text c="dimmed">loading…</Text>
        )}
        <WorkflowLink workflowId={`suno-${taskId}`} />
      </Stack>
    </Card>
  );
}

function WatchImagine({ mjId }: { mjId: string }) {
  const q = useQuery({ queryKey: ['mj', 'watch', mjId], queryFn: () => api<Page<MjLog>>('/api/mj/self', { query: { mj_id: mjId, page_size: 1 } }) });
  const task = q.data?.items[0];
  return (
    <Card withBorder data-testid={`watch-${mjId}`}>
      <Stack gap="xs">
        <Text size="xs" className="mono">
          {mjId}
        </Text>
        {task ? (
          <>
            <StatusBadge status={task.status} />
            <TaskProgress progress={task.progress} running={task.status !== 'SUCCESS' && task.status !== 'FAILURE'} />
            {task.fail_reason && <Text c="red">{task.fail_reason}</Text>}
            {task.image_url && <Image src={`/mj/image/${encodeURIComponent(mjId)}`} alt={task.prompt} className="thumb" maw={320} />}
          </>
        ) : (
          <Text c="dimmed">loading…</Text>
        )}
        <WorkflowLink workflowId={`mj-${mjId}`} />
      </Stack>
    </Card>
  );
}
