import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCapabilities } from '../../devices';
import { freePort } from '../support/ports';

/**
 * Our real-phone capabilities against the real UiAutomator2 driver (installed by the test
 * command into its cache, see scripts/appium-host.sh). There is no Android SDK here, so no
 * session can start; what is checked is that the driver accepts every capability we send
 * and gets as far as looking for the SDK, while a malformed one is refused up front.
 */
const APPIUM_HOME = process.env.UIAUTOMATOR2_APPIUM_HOME || path.join(os.homedir(), '.cache/taskhub/appium-home');
const APPIUM_BIN = path.resolve(__dirname, '../../node_modules/.bin/appium');

interface SessionReply {
  value: { error?: string; message?: string; sessionId?: string };
}

describe('capabilities on the real UiAutomator2 driver', () => {
  let server: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    if (!existsSync(path.join(APPIUM_HOME, 'node_modules/appium-uiautomator2-driver'))) {
      throw new Error(`the UiAutomator2 driver is not installed in ${APPIUM_HOME}: run sh scripts/appium-host.sh --install-only (npm test does)`);
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // No SDK on purpose, whatever the machine has: the driver must stop at that check.
    const env = { ...process.env, APPIUM_HOME, ANDROID_HOME: '', ANDROID_SDK_ROOT: '' };
    server = spawn(APPIUM_BIN, ['server', '--address', '127.0.0.1', '--port', String(port), '--use-drivers', 'uiautomator2', '--log-level', 'error'], {
      env,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 300 && Date.now() < deadline; i++) {
      const up = await fetch(`${url}/status`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('Appium with the UiAutomator2 driver did not come up in 30 s');
  }, 40_000);

  afterAll(async () => {
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  const newSession = async (caps: Record<string, unknown>) => {
    const res = await fetch(`${url}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: caps, firstMatch: [{}] } }),
    });
    return (await res.json()) as SessionReply;
  };

  test('the defaults for a phone pass the driver’s checks and stop only at the missing Android SDK', async () => {
    const reply = await newSession(buildCapabilities({ serial: 'R58M12345' }, { username: 'alice', package: 'com.ss.android.ugc.trill' }));
    expect(reply.value.sessionId).toBeUndefined();
    expect(reply.value.message).toMatch(/ANDROID_HOME|ANDROID_SDK_ROOT/);
    expect(reply.value.message).not.toMatch(/must be of type|is not a valid|invalid/i);
  });

  test('stored overrides with bare keys pass as well', async () => {
    const caps = buildCapabilities({ serial: '192.168.1.20:5555', capabilities: { systemPort: 8210, noReset: true, language: 'en', locale: 'US' } });
    const reply = await newSession(caps);
    expect(reply.value.message).toMatch(/ANDROID_HOME|ANDROID_SDK_ROOT/);
  });

  test('a malformed override is refused by the driver before it looks for a phone', async () => {
    const reply = await newSession(buildCapabilities({ serial: 'R58M12345', capabilities: { systemPort: 'eighty' } }));
    expect(reply.value).toMatchObject({ error: 'session not created', message: expect.stringMatching(/systemPort.*must be of type number/) });
  });
});
