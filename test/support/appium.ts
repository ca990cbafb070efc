import { requireOutsideSandbox } from './outside-sandbox';
import { freePort } from './ports';

/**
 * A real Appium 3 server, in process, with the fake driver that `@appium/fake-driver` as a
 * devDependency makes available without `appium driver install` (Appium finds drivers in
 * the nearest package.json). Listens on 127.0.0.1 only.
 */
export interface TestAppium {
  url: string;
  close(): Promise<void>;
}

interface AppiumServer {
  close(): Promise<void>;
}
type AppiumMain = (args: Record<string, unknown>) => Promise<AppiumServer>;

export async function startAppium(): Promise<TestAppium> {
  // loaded outside Jest's sandbox: Appium import()s its drivers
  const { main } = requireOutsideSandbox('appium') as { main: AppiumMain };
  const port = await freePort();
  const server = await main({
    port,
    address: '127.0.0.1',
    loglevel: 'error',
    // lets tests list live sessions (GET /appium/sessions) to prove none leaked
    allowInsecure: ['*:session_discovery'],
  });
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

declare global {
  var __taskhubAppium: TestAppium | undefined;
}

/** Global setup: one server for the whole run, exported as APPIUM_TEST_URL. TASKHUB_TEST_NO_APPIUM=1 skips it. */
export async function startSharedAppium(): Promise<void> {
  if (process.env.TASKHUB_TEST_NO_APPIUM === '1' || process.env.APPIUM_TEST_URL) return;
  globalThis.__taskhubAppium = await startAppium();
  process.env.APPIUM_TEST_URL = globalThis.__taskhubAppium.url;
}

export async function stopSharedAppium(): Promise<void> {
  await globalThis.__taskhubAppium?.close();
  globalThis.__taskhubAppium = undefined;
}

/**
 * For test files: the shared server when global setup started one, otherwise a private
 * one for this file. Call in beforeAll; `release` in afterAll.
 */
export async function useAppium(): Promise<{ url: string; release(): Promise<void> }> {
  const shared = process.env.APPIUM_TEST_URL;
  if (shared) return { url: shared, release: async () => undefined };
  const own = await startAppium();
  return { url: own.url, release: () => own.close() };
}

/** Session ids the server reports as live (needs session discovery, enabled above). */
export async function appiumSessionIds(url: string): Promise<string[]> {
  const res = await fetch(new URL('appium/sessions', url));
  const body = (await res.json()) as { value?: { id?: string }[] };
  if (!res.ok || !Array.isArray(body.value)) throw new Error(`GET /appium/sessions failed: ${res.status} ${JSON.stringify(body)}`);
  return body.value.map((s) => String(s.id));
}
