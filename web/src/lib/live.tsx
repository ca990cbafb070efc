import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { followEvents, type LiveState } from '../api/events';
import type { DeviceTask, DeviceTaskPage, MjLog, Page, Task } from '../api/types';
import { useSession } from './session';

const LiveContext = createContext<LiveState>('connecting');

/** Replaces a row in every cached page that holds it; returns whether any did. */
function patchPages<T>(qc: QueryClient, key: string, match: (row: T) => boolean, next: T): boolean {
  let found = false;
  qc.setQueriesData<Page<T>>({ queryKey: [key] }, (page) => {
    if (!page?.items) return page;
    const i = page.items.findIndex(match);
    if (i < 0) return page;
    found = true;
    const items = page.items.slice();
    items[i] = { ...items[i], ...next };
    return { ...page, items };
  });
  return found;
}

function patchDeviceTasks(qc: QueryClient, next: DeviceTask): boolean {
  let found = false;
  qc.setQueriesData<DeviceTaskPage>({ queryKey: ['device-tasks'] }, (page) => {
    if (!page?.tasks) return page;
    const i = page.tasks.findIndex((t) => t.id === next.id);
    if (i < 0) return page;
    found = true;
    const tasks = page.tasks.slice();
    tasks[i] = next;
    return { ...page, tasks };
  });
  return found;
}

/**
 * Follows GET /api/events for the signed-in user (admins: everyone's tasks and device tasks)
 * and writes each change into TanStack Query's cache: a row already on screen is replaced in
 * place; anything else (a new task, counts, balances) is refetched, batched over 400 ms.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, admin, user } = useSession();
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!token || !user) return;
    const abort = new AbortController();
    const refetchSoon = (...keys: string[]) => {
      for (const k of keys) pending.current.add(k);
      timer.current ??= setTimeout(() => {
        timer.current = undefined;
        for (const k of pending.current) void qc.invalidateQueries({ queryKey: [k] });
        pending.current.clear();
      }, 400);
    };
    void followEvents({
      token,
      scope: admin ? 'all' : 'self',
      signal: abort.signal,
      onState: setState,
      onOpen: () => void qc.invalidateQueries(),
      onEvent: ({ event, data }) => {
        if (event === 'task') {
          const task = data as Task;
          if (!patchPages<Task>(qc, 'tasks', (t) => t.task_id === task.task_id, task)) refetchSoon('tasks');
          refetchSoon('self', 'stats');
        } else if (event === 'mj') {
          const mj = data as MjLog;
          if (!patchPages<MjLog>(qc, 'mj', (t) => t.mj_id === mj.mj_id, mj)) refetchSoon('mj');
          refetchSoon('self', 'stats');
        } else if (event === 'device_task') {
          if (!patchDeviceTasks(qc, data as DeviceTask)) refetchSoon('device-tasks');
          refetchSoon('device-stats', 'phone-queue');
        }
      },
    });
    return () => {
      abort.abort();
      if (timer.current) clearTimeout(timer.current);
      timer.current = undefined;
    };
  }, [token, admin, user, qc]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export const useLiveState = () => useContext(LiveContext);
