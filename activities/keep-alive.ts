import { Context } from '@temporalio/activity';

/** Often enough for a heartbeat timeout of a few times this; the worker throttles what reaches the server. */
const HEARTBEAT_EVERY_MS = 3000;

type ActivityFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * Every activity here heartbeats while it runs, whatever it is waiting for (an upstream, the
 * database). With a `heartbeatTimeout` on the caller's side, an attempt on a worker that died
 * (SIGKILL, OOM, a lost host) is retried elsewhere within seconds instead of at the end of
 * its start-to-close timeout, minutes later. Activities that heartbeat with details of their
 * own (the device script) are left out, and local activities, which cannot heartbeat.
 */
export function keepAlive<T extends ActivityFunctions>(activities: T, except: (keyof T)[] = []): T {
  const wrapped = Object.entries(activities).map(([name, fn]) => {
    if (except.includes(name)) return [name, fn];
    return [
      name,
      async (...args: never[]) => {
        const ctx = Context.current();
        // Local activities live and die with their workflow task: nothing to heartbeat.
        const timer = ctx.info.isLocal ? undefined : setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
        try {
          return await fn(...args);
        } finally {
          clearInterval(timer);
        }
      },
    ];
  });
  return Object.fromEntries(wrapped) as T;
}
