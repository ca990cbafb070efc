import net from 'node:net';
import path from 'node:path';
import { createDeviceLayer, liveSessions, runScript, type RunScriptInput } from '../../devices';
import { appiumSessionIds, startAppium, useAppium } from '../support/appium';
import { FAST, FIXTURES, fakeDevice, runOnFake } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
beforeAll(async () => {
  appium = await useAppium();
});
afterAll(() => appium.release());

function followInput(overrides: Partial<RunScriptInput> = {}): RunScriptInput {
  return {
    appiumUrl: appium.url,
    device: fakeDevice('follow.xml'),
    scriptName: 'follow',
    config: { target_users: ['alice'], access_method: 'direct' },
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('device sessions: failures before the script starts', () => {
  it('fails with appium_unavailable when APPIUM_URL is unset', async () => {
    await expect(runScript(followInput({ appiumUrl: undefined }), FAST)).rejects.toMatchObject({
      kind: 'appium_unavailable',
      message: expect.stringContaining('APPIUM_URL is not set'),
    });
  });

  it('fails with appium_unavailable when APPIUM_URL is not a URL', async () => {
    await expect(runScript(followInput({ appiumUrl: 'localhost 4723' }), FAST)).rejects.toMatchObject({
      kind: 'appium_unavailable',
      message: 'APPIUM_URL "localhost 4723" is not a valid URL',
    });
  });

  it('fails with appium_unavailable when nothing listens at APPIUM_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    await expect(runScript(followInput({ appiumUrl: url }), FAST)).rejects.toMatchObject({
      kind: 'appium_unavailable',
      message: expect.stringMatching(/^Appium at http:\/\/127\.0\.0\.1:\d+\/ is unreachable/),
    });
  });

  it('fails with device_offline when Appium cannot start a session for the serial', async () => {
    const device = { ...fakeDevice('follow.xml'), serial: 'FAKE-GONE' };
    device.capabilities!['appium:app'] = path.join(FIXTURES, 'no-such-screen.xml');
    await expect(runScript(followInput({ device }), FAST)).rejects.toMatchObject({
      kind: 'device_offline',
      message: expect.stringMatching(/^could not start an Appium session on FAKE-GONE: /),
    });
  });

  it('fails with appium_unavailable when the server has no driver for a real phone (UiAutomator2 not installed)', async () => {
    const error = await runScript(followInput({ device: { serial: 'R58M12345' } }), FAST).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'appium_unavailable', message: expect.stringContaining('has no driver for these capabilities') });
  });

  it('fails with cancelled, without opening a session, when stopped before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const device = fakeDevice('follow.xml');
    await expect(runScript(followInput({ device, signal: controller.signal }), FAST)).rejects.toMatchObject({ kind: 'cancelled' });
    expect(liveSessions().filter((s) => s.serial === device.serial)).toEqual([]);
  });

  it('fails with invalid_config when handed a config that does not validate', async () => {
    await expect(runScript(followInput({ config: { target_users: [] } }), FAST)).rejects.toMatchObject({
      kind: 'invalid_config',
      message: expect.stringContaining('script_config.target_users'),
    });
  });
});

describe('device sessions: failures mid-script', () => {
  it('fails with appium_unavailable when the Appium server goes away mid-script', async () => {
    const own = await startAppium();
    let closing: Promise<void> | undefined;
    const { error } = await runOnFake({
      appiumUrl: own.url,
      script: 'account_warmup',
      // newCommandTimeout 0: no idle timer left behind in the dead server's driver
      device: fakeDevice('warmup.xml', { 'appium:newCommandTimeout': 0 }),
      config: { task_duration: 30, min_duration: 1, max_duration: 1 },
      onStep: (step) => {
        if (step.description.startsWith('watch video')) closing ??= own.close();
      },
    });
    await closing;
    expect(error?.kind).toBe('appium_unavailable');
    expect(error?.message).toMatch(/^Appium at http:\/\/127\.0\.0\.1:\d+ became unreachable at step \d+ \(swipe up\)$/);
  });
});

describe('device sessions: cleanup', () => {
  it('deletes the Appium session after success and after failure', async () => {
    const ids: string[] = [];
    for (const fixture of ['follow.xml', 'follow-missing-button.xml']) {
      const device = fakeDevice(fixture);
      const outcome = await runOnFake({
        appiumUrl: appium.url,
        script: 'follow',
        device,
        config: { target_users: ['alice'] },
        onStep: () => {
          const live = liveSessions().find((s) => s.serial === device.serial);
          if (live && !ids.includes(live.sessionId)) ids.push(live.sessionId);
        },
      });
      expect(outcome.result ?? outcome.error).toBeDefined();
      expect(liveSessions().filter((s) => s.serial === device.serial)).toEqual([]);
    }
    expect(ids).toHaveLength(2);
    const onServer = await appiumSessionIds(appium.url);
    for (const id of ids) expect(onServer).not.toContain(id);
  });

  it('runs several phones in parallel, one session each, and leaves none behind', async () => {
    const devices = [fakeDevice('follow.xml'), fakeDevice('follow-already.xml'), fakeDevice('follow.xml')];
    const layer = createDeviceLayer(FAST);
    const results = await Promise.all(devices.map((device) => layer.runScript(followInput({ device }))));
    expect(results.map((r) => r.remark)).toEqual(['followed @alice', 'already following @alice', 'followed @alice']);
    const serials = new Set(devices.map((d) => d.serial));
    expect(liveSessions().filter((s) => serials.has(s.serial))).toEqual([]);
  });

  it('numbers steps from 1 and reports each one to onStep', async () => {
    const seen: number[] = [];
    await runScript(followInput({ onStep: (s) => seen.push(s.index) }), FAST);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
  });
});
