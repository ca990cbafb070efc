import { lazy, Suspense } from 'react';
import { Center, Loader } from '@mantine/core';
import { Redirect, Route, Switch } from 'wouter';
import { Shell } from './components/Shell';
import { LiveProvider } from './lib/live';
import { SessionProvider, useSession } from './lib/session';
import { ChannelsPage } from './pages/Channels';
import { DevicesPage } from './pages/Devices';
import { DeviceTasksPage } from './pages/DeviceTasks';
import { DrawingsPage } from './pages/Drawings';
import { KeysPage } from './pages/Keys';
import { PlaygroundPage } from './pages/Playground';
import { SignInPage } from './pages/SignIn';
import { TasksPage } from './pages/Tasks';
import { UsersPage } from './pages/Users';

// The charts library is the largest dependency: its screen loads it on first visit.
const OverviewPage = lazy(() => import('./pages/Overview'));

function AdminOnly({ children }: { children: React.ReactNode }) {
  const { admin } = useSession();
  return admin ? <>{children}</> : <Redirect to="/" />;
}

function Routes() {
  const { token, user } = useSession();
  if (!token) return <SignInPage />;
  if (!user)
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  return (
    <LiveProvider>
      <Shell>
        <Suspense fallback={<Loader size="sm" />}>
          <Switch>
            <Route path="/">
              <OverviewPage />
            </Route>
            <Route path="/tasks">
              <TasksPage />
            </Route>
            <Route path="/drawings">
              <DrawingsPage />
            </Route>
            <Route path="/playground">
              <PlaygroundPage />
            </Route>
            <Route path="/keys">
              <KeysPage />
            </Route>
            <Route path="/phones">
              <AdminOnly>
                <DevicesPage />
              </AdminOnly>
            </Route>
            <Route path="/device-tasks">
              <AdminOnly>
                <DeviceTasksPage />
              </AdminOnly>
            </Route>
            <Route path="/users">
              <AdminOnly>
                <UsersPage />
              </AdminOnly>
            </Route>
            <Route path="/channels">
              <AdminOnly>
                <ChannelsPage />
              </AdminOnly>
            </Route>
            <Route>
              <Redirect to="/" />
            </Route>
          </Switch>
        </Suspense>
      </Shell>
    </LiveProvider>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
