import { BarChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { DailySpend, HourlyCount } from '../api/types';
import { QueryState } from '../components/QueryState';
import { formatQuota } from '../lib/format';
import { useSession } from '../lib/session';
import { useServerStatus } from '../lib/status';

const STATUS_SERIES = [
  { name: 'SUCCESS', color: 'teal.6' },
  { name: 'FAILURE', color: 'red.6' },
  { name: 'IN_PROGRESS', color: 'blue.6' },
  { name: 'SUBMITTED', color: 'cyan.5' },
  { name: 'NOT_START', color: 'gray.5' },
  { name: 'QUEUED', color: 'gray.4' },
  { name: 'MODAL', color: 'grape.5' },
  { name: 'UNKNOWN', color: 'dark.4' },
];

/** The last day hour by hour, every hour present (the route leaves empty ones out). */
function hourlyRows(counts: HourlyCount[]): Record<string, string | number>[] {
  const now = Math.floor(Date.now() / 3_600_000) * 3600;
  const rows = new Map<number, Record<string, string | number>>();
  for (let i = 23; i >= 0; i--) {
    const hour = now - i * 3600;
    rows.set(hour, { hour: new Date(hour * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) });
  }
  for (const c of counts) {
    const row = rows.get(c.hour);
    if (row) row[c.status] = Number(row[c.status] ?? 0) + c.count;
  }
  return [...rows.values()];
}

function dailyRows(days: DailySpend[]): Record<string, string | number>[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const offset = -new Date().getTimezoneOffset() * 60;
  const today = Math.floor((Date.now() / 1000 + offset) / 86_400) * 86_400 - offset;
  return Array.from({ length: 14 }, (_, i) => {
    const day = today - (13 - i) * 86_400;
    const d = byDay.get(day);
    return { day: new Date(day * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), spent: d?.spent ?? 0, refunded: d?.refunded ?? 0 };
  });
}

export default function OverviewPage() {
  const { user, admin } = useSession();
  const { data: status } = useServerStatus();
  const scope = admin ? 'all' : 'self';
  const hourly = useQuery({ queryKey: ['stats', 'tasks', scope], queryFn: () => api<HourlyCount[]>('/api/stats/tasks', { query: { hours: 24, scope } }) });
  const daily = useQuery({
    queryKey: ['stats', 'quota', scope],
    queryFn: () => api<DailySpend[]>('/api/stats/quota', { query: { days: 14, utc_offset: -new Date().getTimezoneOffset(), scope } }),
  });
  const present = new Set((hourly.data ?? []).map((c) => c.status));
  const series = STATUS_SERIES.filter((s) => present.has(s.name));
  const lastDay = (hourly.data ?? []).reduce((n, c) => n + c.count, 0);

  return (
    <Stack>
      <Title order={3}>Overview{admin ? ' (all users)' : ''}</Title>
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <Stat label="Balance" value={formatQuota(user?.quota ?? 0, status?.quota_per_unit)} />
        <Stat label="Used" value={formatQuota(user?.used_quota ?? 0, status?.quota_per_unit)} />
        <Stat label="Tasks in the last 24 h" value={lastDay.toLocaleString()} />
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="sm">
          Tasks per hour by status, last 24 hours
        </Text>
        <QueryState loading={hourly.isLoading} error={hourly.error} />
        {hourly.data && (
          <BarChart
            h={260}
            data={hourlyRows(hourly.data)}
            dataKey="hour"
            type="stacked"
            series={series.length ? series : [{ name: 'SUCCESS', color: 'teal.6' }]}
            withLegend
          />
        )}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="sm">
          Quota spent per day, last 14 days
        </Text>
        <QueryState loading={daily.isLoading} error={daily.error} />
        {daily.data && (
          <BarChart
            h={220}
            data={dailyRows(daily.data)}
            dataKey="day"
            series={[
              { name: 'spent', color: 'indigo.6', label: 'spent (charged − refunded)' },
              { name: 'refunded', color: 'gray.4' },
            ]}
            withLegend
          />
        )}
      </Card>
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {label}
        </Text>
      </Group>
      <Text fw={700} size="lg" data-testid={`stat-${label}`}>
        {value}
      </Text>
    </Card>
  );
}
