/** Polls `check` every `pollMs` until it holds; bounded in time and in rounds, so a stuck step fails the drill. */
export async function waitFor(what: string, timeoutMs: number, pollMs: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
    if (await check()) return;
    await sleep(pollMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
