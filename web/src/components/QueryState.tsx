import { Alert, Center, Loader } from '@mantine/core';
import { errorMessage } from '../api/client';

/** What a list shows while its query loads or after it failed. */
export function QueryState({ loading, error }: { loading: boolean; error: unknown }) {
  if (error)
    return (
      <Alert color="red" title="Could not load" role="alert">
        {errorMessage(error)}
      </Alert>
    );
  if (loading)
    return (
      <Center p="lg">
        <Loader size="sm" />
      </Center>
    );
  return null;
}
