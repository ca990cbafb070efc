import { buildCapabilities, portsForSerial, prefixCapabilities, TIKTOK_ACTIVITY } from '../../devices';
import { featuresFor } from '../../devices/session/wdio';

describe('real-phone capabilities', () => {
  it('defaults to UiAutomator2 on the serial with noReset, TikTok and per-phone ports', () => {
    const caps = buildCapabilities({ serial: 'R58M12345' });
    const ports = portsForSerial('R58M12345');
    expect(caps).toEqual({
      platformName: 'Android',
      'appium:automationName': 'UiAutomator2',
      'appium:udid': 'R58M12345',
      'appium:appPackage': 'com.zhiliaoapp.musically',
      'appium:appActivity': TIKTOK_ACTIVITY,
      'appium:noReset': true,
      'appium:systemPort': ports.systemPort,
      'appium:mjpegServerPort': ports.mjpegServerPort,
      'appium:newCommandTimeout': 300,
      'appium:autoGrantPermissions': true,
      'appium:disableWindowAnimation': true,
      'appium:uiautomator2ServerLaunchTimeout': 60_000,
      'appium:adbExecTimeout': 60_000,
    });
  });

  it('drives the account’s app package (clone apps)', () => {
    expect(buildCapabilities({ serial: 'X' }, { username: 'a', package: 'com.ss.android.ugc.trill' })['appium:appPackage']).toBe('com.ss.android.ugc.trill');
  });

  it('derives ports from the serial: stable, in range, different for different phones', () => {
    const a = portsForSerial('192.168.1.20:5555');
    expect(portsForSerial('192.168.1.20:5555')).toEqual(a);
    expect(a.systemPort).toBeGreaterThanOrEqual(10_000);
    expect(a.systemPort).toBeLessThan(20_000);
    expect(a.mjpegServerPort - a.systemPort).toBe(10_000);
    const serials = Array.from({ length: 12 }, (_, i) => `emulator-${5554 + 2 * i}`);
    expect(new Set(serials.map((s) => portsForSerial(s).systemPort)).size).toBe(serials.length);
  });

  it('lets the device’s stored overrides win, prefixing bare vendor keys with appium:', () => {
    const caps = buildCapabilities(
      {
        serial: 'R58M12345',
        capabilities: { systemPort: 8205, 'appium:newCommandTimeout': 900, 'appium:appActivity': '.Main', platformName: 'Android', 'df:tags': ['a'] },
      },
      { username: 'a', package: 'com.zhiliaoapp.musically.go' },
    );
    expect(caps).toMatchObject({
      'appium:systemPort': 8205,
      'appium:newCommandTimeout': 900,
      'appium:appActivity': '.Main',
      'appium:appPackage': 'com.zhiliaoapp.musically.go',
      'appium:noReset': true,
      'df:tags': ['a'],
    });
    expect(caps).not.toHaveProperty('systemPort');
  });

  it('turns a device into the fake driver with three override keys (what the tests use)', () => {
    const caps = buildCapabilities({
      serial: 'FAKE-1',
      capabilities: { platformName: 'Fake', 'appium:automationName': 'Fake', 'appium:app': '/abs/screen.xml' },
    });
    expect(caps).toMatchObject({ platformName: 'Fake', 'appium:automationName': 'Fake', 'appium:app': '/abs/screen.xml', 'appium:udid': 'FAKE-1' });
  });

  it('keeps W3C keys unprefixed', () => {
    expect(prefixCapabilities({ browserName: 'x', timeouts: { implicit: 0 }, udid: 'u' })).toEqual({
      browserName: 'x',
      timeouts: { implicit: 0 },
      'appium:udid': 'u',
    });
  });
});

describe('driver features', () => {
  it('uses mobile: commands, file push and back on UiAutomator2, and degrades on drivers without them', () => {
    expect(featuresFor('UiAutomator2')).toEqual({ automationName: 'UiAutomator2', mobileCommands: true, pushFile: true, back: true, elementText: true });
    expect(featuresFor('Fake')).toEqual({ automationName: 'Fake', mobileCommands: false, pushFile: false, back: false, elementText: false });
    expect(featuresFor('SomethingElse')).toMatchObject({ mobileCommands: false, pushFile: false, back: true });
  });
});
