import { Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useRememberedKeys } from '../lib/keys';
import { useSession } from '../lib/session';

const PASTE = 'paste';

/**
 * Chooses the sk- key a relay call is made with: one this browser remembered when it was
 * created (Keys page), or one pasted by hand. `onChange` gets the full key or ''.
 */
export function KeyPicker({ value, onChange }: { value: string; onChange(key: string): void }) {
  const { user } = useSession();
  const { keys } = useRememberedKeys(user?.id);
  const [choice, setChoice] = useState<string | null>(() => (keys[0] ? String(keys[0].id) : PASTE));
  const options = [...keys.map((k) => ({ value: String(k.id), label: `${k.name} (${k.key.slice(0, 7)}…)` })), { value: PASTE, label: 'Paste a key…' }];

  const pick = (next: string | null) => {
    setChoice(next);
    const remembered = keys.find((k) => String(k.id) === next);
    onChange(remembered ? remembered.key : '');
  };
  // The first remembered key is the default choice: hand it to the parent once.
  const preselected = choice !== PASTE ? keys.find((k) => String(k.id) === choice)?.key : undefined;
  useEffect(() => {
    if (preselected && !value) onChange(preselected);
  }, [preselected, value, onChange]);

  return (
    <Stack gap="xs">
      <Select label="API key" data={options} value={choice} onChange={pick} allowDeselect={false} />
      {choice === PASTE && (
        <TextInput label="sk- key" placeholder="sk-…" value={value} onChange={(e) => onChange(e.currentTarget.value.trim())} autoComplete="off" />
      )}
    </Stack>
  );
}
