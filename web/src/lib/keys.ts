import { useCallback, useSyncExternalStore } from 'react';

/**
 * sk- keys are shown once, when created (the server keeps only digests), so the dashboard can
 * act with a key only if this browser remembered it then, or the user pastes one. Remembered
 * keys live in localStorage per user and never leave the browser except as the relay calls'
 * Authorization header.
 */
export interface RememberedKey {
  id: number;
  name: string;
  key: string;
}

const storageKey = (userId: number) => `taskhub.keys.${userId}`;
const listeners = new Set<() => void>();
const cache = new Map<number, { raw: string | null; keys: RememberedKey[] }>();

function read(userId: number): RememberedKey[] {
  const raw = localStorage.getItem(storageKey(userId));
  const hit = cache.get(userId);
  if (hit && hit.raw === raw) return hit.keys;
  let keys: RememberedKey[];
  try {
    keys = raw ? (JSON.parse(raw) as RememberedKey[]) : [];
  } catch {
    keys = [];
  }
  cache.set(userId, { raw, keys });
  return keys;
}

function write(userId: number, keys: RememberedKey[]): void {
  localStorage.setItem(storageKey(userId), JSON.stringify(keys));
  for (const l of listeners) l();
}

export function useRememberedKeys(userId: number | undefined) {
  const keys = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => (userId === undefined ? EMPTY : read(userId)),
  );
  const remember = useCallback(
    (entry: RememberedKey) => {
      if (userId === undefined) return;
      write(userId, [entry, ...read(userId).filter((k) => k.id !== entry.id)]);
    },
    [userId],
  );
  const forget = useCallback(
    (id: number) => {
      if (userId === undefined) return;
      write(
        userId,
        read(userId).filter((k) => k.id !== id),
      );
    },
    [userId],
  );
  return { keys, remember, forget };
}

const EMPTY: RememberedKey[] = [];
