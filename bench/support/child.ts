import { fork } from 'node:child_process';

/** A benchmark's helper process: forked, waited for until it says it is ready, and stopped for sure. */
export interface ReadyChild {
  pid: number;
  /** What the child sent when it was ready (its URL, say). */
  ready: unknown;
  /** Sends `{ ask, ...message }` and resolves with the child's `{ answer: ask, value }`. */
  ask<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface ForkOptions {
  /** Named in errors ("the API process"). */
  name: string;
  env?: Record<string, string>;
  execArgv?: string[];
  readyWithinMs: number;
  /** Sent over IPC to ask for a graceful stop; without it the child gets SIGTERM. */
  stopMessage?: string;
  /** SIGKILL after this long if it has not exited by then. */
  killAfterMs: number;
}

/** Forks `file` and resolves once its first IPC message arrives; a child that exits or is silent first is killed and fails the call. */
export async function forkUntilReady(file: string, options: ForkOptions): Promise<ReadyChild> {
  const child = fork(file, [], { env: { ...process.env, ...options.env }, execArgv: options.execArgv ?? [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${options.readyWithinMs / 1000} s`)), options.readyWithinMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}) before it was ready`));
    });
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  let asked = 0;
  return {
    pid: child.pid!,
    ready,
    ask<T>(message: Record<string, unknown>, timeoutMs = 10_000) {
      const ask = ++asked;
      return new Promise<T>((resolve, reject) => {
        const onMessage = (m: unknown) => {
          if ((m as { answer?: number })?.answer !== ask) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve((m as { value: T }).value);
        };
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`${options.name} did not answer within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        child.on('message', onMessage);
        child.send({ ask, ...message });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (options.stopMessage) child.send(options.stopMessage);
      else child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * In the child: when the benchmark goes away (Ctrl-C, a crash, SIGKILL) its IPC channel
 * closes; stop gracefully if that is quick, and exit regardless soon after, so no worker is
 * left polling a dev server or holding a port.
 */
export function exitWithParent(stop: () => Promise<void>, graceMs = 3_000): void {
  process.on('disconnect', () => {
    setTimeout(() => process.exit(1), graceMs).unref();
    void stop();
  });
}
