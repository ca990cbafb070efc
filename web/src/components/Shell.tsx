import type { ReactNode } from 'react';
import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconBrush,
  IconChartBar,
  IconDeviceMobile,
  IconKey,
  IconListCheck,
  IconListDetails,
  IconLogout,
  IconPlayerPlay,
  IconPlugConnected,
  IconUsers,
} from '@tabler/icons-react';
import { Link, useLocation } from 'wouter';
import { formatQuota } from '../lib/format';
import { useLiveState } from '../lib/live';
import { useSession } from '../lib/session';
import { useServerStatus } from '../lib/status';

const USER_LINKS = [
  { to: '/', label: 'Overview', icon: IconChartBar },
  { to: '/tasks', label: 'Tasks', icon: IconListDetails },
  { to: '/drawings', label: 'Drawings', icon: IconBrush },
  { to: '/playground', label: 'Playground', icon: IconPlayerPlay },
  { to: '/keys', label: 'API keys', icon: IconKey },
];

const ADMIN_LINKS = [
  { to: '/phones', label: 'Phones', icon: IconDeviceMobile },
  { to: '/device-tasks', label: 'Device tasks', icon: IconListCheck },
  { to: '/users', label: 'Users', icon: IconUsers },
  { to: '/channels', label: 'Channels', icon: IconPlugConnected },
];

const LIVE_BADGE = {
  live: { color: 'teal', label: 'live' },
  connecting: { color: 'gray', label: 'connecting' },
  reconnecting: { color: 'orange', label: 'reconnecting' },
} as const;

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  const { user, admin, signOut } = useSession();
  const live = LIVE_BADGE[useLiveState()];
  const { data: status } = useServerStatus();

  const links = (items: typeof USER_LINKS) =>
    items.map((item) => (
      <NavLink
        key={item.to}
        component={Link}
        href={item.to}
        label={item.label}
        leftSection={<item.icon size={18} stroke={1.6} />}
        active={location === item.to}
        onClick={close}
      />
    ));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="menu" />
            <Title order={4}>taskhub</Title>
            <Badge color={live.color} variant="dot" data-testid="live-state">
              {live.label}
            </Badge>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" data-testid="whoami">
              {user?.username} · {formatQuota(user?.quota ?? 0, status?.quota_per_unit)}
            </Text>
            <Button variant="subtle" size="xs" leftSection={<IconLogout size={16} />} onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          {links(USER_LINKS)}
          {admin && (
            <>
              <Text size="xs" c="dimmed" mt="md" mb={4} px="sm" tt="uppercase" fw={600}>
                Admin
              </Text>
              {links(ADMIN_LINKS)}
            </>
          )}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
