import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMatchAccountResult } from '../../devices';
import { useAppium } from '../support/appium';
import { recorder, runOnFake, ui } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
let avatars: string;
beforeAll(async () => {
  appium = await useAppium();
  avatars = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-avatars-'));
  for (const name of ['a.jpg', 'b.png', 'notes.txt']) fs.writeFileSync(path.join(avatars, name), name);
});
afterAll(async () => {
  fs.rmSync(avatars, { recursive: true, force: true });
  await appium.release();
});

const form = { identifier: ui.login.identifierInput, password: ui.login.passwordInput };

describe('login script over WebDriver (fake driver)', () => {
  it('logs in with email + password first', async () => {
    const rec = recorder({ clicks: { entry: ui.login.loginEntry, tab: ui.login.emailUsernameTab, submit: ui.login.submit }, typed: form });
    const { result, error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login.xml',
      config: { email: 'alice@example.com', username: 'alice', password: 'hunter2' },
      inspect: rec.inspect,
    });
    expect(error).toBeUndefined();
    expect(rec.seen.typed).toEqual({ identifier: 'alice@example.com', password: 'hunter2' });
    expect(rec.seen.clicks).toEqual({ entry: 1, tab: 1, submit: 1 });
    expect(result?.remark).toBe('logged in as @alice (email)');
  });

  it("falls back to the task account's username when the config has none", async () => {
    const rec = recorder({ typed: form });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login.xml',
      account: { username: '@alice' },
      config: { password: 'pw' },
      inspect: rec.inspect,
    });
    expect(rec.seen.typed.identifier).toBe('alice');
    expect(result?.remark).toBe('logged in as @alice (username)');
  });

  it('ends with a remark asking for manual verification when TikTok shows a challenge', async () => {
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login-verification.xml',
      config: { username: 'alice', password: 'pw' },
    });
    expect(result?.remark).toBe('login for alice submitted (username); TikTok asks for verification: finish it on the phone');
  });

  it("fails with TikTok's reason when the credentials are rejected", async () => {
    const { error } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login-rejected.xml',
      config: { username: 'alice', password: 'wrong' },
    });
    expect(error?.kind).toBe('invalid_config');
    expect(error?.message).toBe('TikTok rejected the username login for alice: Incorrect account or password');
  });

  it('adds the account through the account switcher when another account is active', async () => {
    const rec = recorder({ clicks: { switcher: ui.profile.accountSwitcher, add: ui.login.addAccount }, typed: form });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login-other-account.xml',
      config: { username: 'carol', password: 'pw' },
      inspect: rec.inspect,
    });
    expect(rec.seen.clicks).toEqual({ switcher: 1, add: 1 });
    expect(rec.seen.typed.identifier).toBe('carol');
    expect(result?.remark).toMatch(/^login for carol submitted/);
  });

  it('does nothing when the account is already the active one', async () => {
    const rec = recorder({ clicks: { switcher: ui.profile.accountSwitcher } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'login',
      fixture: 'login-other-account.xml',
      config: { username: 'bob', password: 'pw' },
      inspect: rec.inspect,
    });
    expect(result?.remark).toBe('already logged in as @bob');
    expect(rec.seen.clicks.switcher).toBe(0);
  });

  it('fails with invalid_config when neither config nor account names who to log in', async () => {
    const { error } = await runOnFake({ appiumUrl: appium.url, script: 'login', fixture: 'login.xml', config: { password: 'pw' } });
    expect(error?.kind).toBe('invalid_config');
    expect(error?.message).toMatch(/needs an email or a username/);
  });
});

describe('profile script over WebDriver (fake driver)', () => {
  const f = ui.editProfile;

  it('sets nickname, username, bio and link, taking the job_index-th line in sequential order', async () => {
    const rec = recorder({
      clicks: { edit: ui.profile.editProfileButton, save: f.save, nameRow: f.nameRow, photo: f.changePhoto },
      typed: { name: f.nameInput, username: f.usernameInput, bio: f.bioInput, link: f.linkInput },
    });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'profile',
      fixture: 'profile.xml',
      config: {
        profile_order: 'sequential',
        job_index: 1,
        nicknames: 'Alice A\nBob B',
        usernames: 'alice_a\nbob.b',
        bios: 'first bio\nsecond\\nbio',
        link_url: 'https://example.com/me',
      },
      inspect: rec.inspect,
    });
    expect(rec.seen.typed).toEqual({ name: 'Bob B', username: 'bob.b', bio: 'second\nbio', link: 'https://example.com/me' });
    expect(rec.seen.clicks).toEqual({ edit: 1, save: 4, nameRow: 1, photo: 0 });
    expect(result?.remark).toBe('profile updated: nickname "Bob B"; username "bob.b"; bio "second\nbio"; link "https://example.com/me"');
  });

  it('only touches the fields it was given', async () => {
    const rec = recorder({ clicks: { nameRow: f.nameRow, bioRow: f.bioRow, save: f.save } });
    await runOnFake({ appiumUrl: appium.url, script: 'profile', fixture: 'profile.xml', config: { bios: 'just a bio' }, inspect: rec.inspect });
    expect(rec.seen.clicks).toEqual({ nameRow: 0, bioRow: 1, save: 1 });
  });

  it('sets an avatar from avatars_path (images only) through the gallery', async () => {
    const rec = recorder({ clicks: { photo: f.changePhoto, gallery: f.pickFromGallery, item: ui.gallery.firstItem, confirm: ui.gallery.confirmButton } });
    const { result, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'profile',
      fixture: 'profile.xml',
      config: { avatars_path: avatars, profile_order: 'sequential', job_index: 1 },
      inspect: rec.inspect,
    });
    expect(rec.seen.clicks).toEqual({ photo: 1, gallery: 1, item: 1, confirm: 1 });
    expect(steps.map((s) => s.description)).toContain('push b.png to /sdcard/DCIM/taskhub/b.png (skipped: Fake driver cannot receive files)');
    expect(result?.remark).toBe('profile updated: avatar b.png');
  });

  it('fails with invalid_config when avatars_path holds no images', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-empty-'));
    try {
      const { error } = await runOnFake({ appiumUrl: appium.url, script: 'profile', fixture: 'profile.xml', config: { avatars_path: empty } });
      expect(error?.kind).toBe('invalid_config');
      expect(error?.message).toBe(`avatars_path: no images in ${empty}`);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('match_account script over WebDriver (fake driver)', () => {
  it('lists the logged-in accounts from the account switcher, current one first, in the remark and as data', async () => {
    const rec = recorder({ clicks: { switcher: ui.profile.accountSwitcher, close: ui.profile.switcherClose } });
    const { result } = await runOnFake({ appiumUrl: appium.url, script: 'match_account', fixture: 'match_account.xml', config: {}, inspect: rec.inspect });
    expect(result?.remark).toBe('found 3 logged-in accounts: @alice (current), @bob.shop, @carol_99');
    expect(result && isMatchAccountResult(result) && result.accounts).toEqual([
      { username: 'alice', current: true, package: 'com.zhiliaoapp.musically' },
      { username: 'bob.shop', current: false, package: 'com.zhiliaoapp.musically' },
      { username: 'carol_99', current: false, package: 'com.zhiliaoapp.musically' },
    ]);
    expect(rec.seen.clicks).toEqual({ switcher: 1, close: 1 });
  });

  it('reports no accounts on a logged-out app', async () => {
    const { result } = await runOnFake({ appiumUrl: appium.url, script: 'match_account', fixture: 'match_account-logged-out.xml', config: {} });
    expect(result).toEqual({ remark: 'no account is logged in on com.zhiliaoapp.musically', accounts: [] });
  });
});
