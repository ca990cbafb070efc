import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { errorMessage } from '../api/client';
import { useSession } from '../lib/session';

export function SignInPage() {
  const { signIn, signInWithToken } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (work: () => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack>
          <div>
            <Title order={2}>taskhub</Title>
            <Text c="dimmed" size="sm">
              Generation tasks, drawings and phones in one place.
            </Text>
          </div>
          {error && (
            <Alert color="red" title="Sign-in failed" role="alert">
              {error}
            </Alert>
          )}
          <Tabs defaultValue="password">
            <Tabs.List grow>
              <Tabs.Tab value="password">Password</Tabs.Tab>
              <Tabs.Tab value="token">Access token</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="password" pt="md">
              <form onSubmit={run(() => signIn(username, password))}>
                <Stack>
                  <TextInput label="Username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} autoComplete="username" required />
                  <PasswordInput
                    label="Password"
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    autoComplete="current-password"
                    required
                  />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="token" pt="md">
              <form onSubmit={run(() => signInWithToken(token))}>
                <Stack>
                  <PasswordInput
                    label="Access token"
                    description="e.g. the root admin's, from `cat data/admin-token`"
                    value={token}
                    onChange={(e) => setToken(e.currentTarget.value)}
                    required
                  />
                  <Button type="submit" loading={busy}>
                    Use token
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Paper>
    </Center>
  );
}
