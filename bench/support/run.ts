import os from 'node:os';

/** Undo steps a benchmark registers as it sets things up; they run last first. */
export type Cleanup = (() => Promise<unknown>)[];

/**
 * Runs `body`, then its cleanup steps, whether it finished or threw: a run that fails half way
 * must not leave a database, server or temporary directory behind. A failing step is reported
 * and the others still run. The total run time comes last, so it also covers the cleanup.
 */
export async function withCleanup(body: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup: Cleanup = [];
  const started = performance.now();
  try {
    await body(cleanup);
  } catch (err) {
    // Said before cleaning up, so that a cleanup step that takes the process down cannot hide it.
    console.error('the run failed:', err);
    throw err;
  } finally {
    for (const step of cleanup.reverse()) await step().catch((err) => console.error('cleanup:', err));
    console.log(`Total run time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Exits as soon as `main` settles, with 1 on failure: a lingering socket or timer must not keep a finished run alive. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** Cores, CPU model, memory and Node version, so that numbers from different machines are not compared blind. */
export function describeMachine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
}

/** A setting `npm run bench` provides (scripts/run.sh); run by hand without it, fail before setting anything up. */
export function mustEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run through npm run bench`);
  return value;
}

/** Polls `check` every `pollMs` until it holds; bounded in time and in rounds, so a stuck stage fails the run. */
export async function waitUntil(what: string, timeoutMs: number, pollMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`timed out waiting until ${what}`);
}
