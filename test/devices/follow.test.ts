import { useAppium } from '../support/appium';
import { recorder, runOnFake, ui } from './harness';

let appium: Awaited<ReturnType<typeof useAppium>>;
beforeAll(async () => {
  appium = await useAppium();
});
afterAll(() => appium.release());

const profileButtons = { follow: ui.profile.followButton, search: ui.nav.searchButton, usersTab: ui.search.usersTab };

describe('follow script over WebDriver (fake driver)', () => {
  it('follows a user it does not follow yet, reaching the profile by search when the driver cannot deep link', async () => {
    const rec = recorder({ clicks: profileButtons, typed: { search: ui.search.input } });
    const { result, error, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'follow',
      fixture: 'follow.xml',
      config: { target_users: ['@alice'] },
      inspect: rec.inspect,
    });
    expect(error).toBeUndefined();
    expect(result?.remark).toBe('followed @alice');
    expect(rec.seen.clicks).toEqual({ follow: 1, search: 1, usersTab: 1 });
    expect(rec.seen.typed.search).toBe('alice');
    expect(steps[0]?.description).toBe('open profile of @alice https://www.tiktok.com/@alice (skipped: Fake driver has no deep links)');
    expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i + 1));
  });

  it('goes straight to search with access_method "search"', async () => {
    const { result, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'follow',
      fixture: 'follow.xml',
      config: { target_user: 'alice', access_method: 'search' },
    });
    expect(result?.remark).toBe('followed @alice');
    expect(steps[0]?.description).toBe('tap search button');
    expect(steps.some((s) => s.description.startsWith('open profile'))).toBe(false);
  });

  it('skips a user it already follows without tapping anything on the profile', async () => {
    const rec = recorder({ clicks: { following: ui.profile.followingButton } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'follow',
      fixture: 'follow-already.xml',
      config: { target_users: ['alice'] },
      inspect: rec.inspect,
    });
    expect(result?.remark).toBe('already following @alice');
    expect(rec.seen.clicks.following).toBe(0);
  });

  it('fails with element_not_found naming the step and the button when the follow button is missing', async () => {
    const { result, error, steps } = await runOnFake({
      appiumUrl: appium.url,
      script: 'follow',
      fixture: 'follow-missing-button.xml',
      config: { target_users: ['alice'] },
    });
    expect(result).toBeUndefined();
    expect(error?.kind).toBe('element_not_found');
    const last = steps[steps.length - 1]!;
    expect(last.description).toBe('tap follow button');
    expect(error?.message).toBe(`element not found at step ${last.index} (follow button)`);
    expect(error?.step).toBe(last.index);
  });

  it('refuses to follow on the wrong profile: the searched user must be on screen', async () => {
    const { error } = await runOnFake({ appiumUrl: appium.url, script: 'follow', fixture: 'follow.xml', config: { target_users: ['bob'] } });
    expect(error?.kind).toBe('element_not_found');
    expect(error?.message).toMatch(/^element not found at step 6 \(search result @bob\)$/);
  });
});

describe('unfollow script over WebDriver (fake driver)', () => {
  it('unfollows a followed user and confirms the dialog', async () => {
    const rec = recorder({ clicks: { following: ui.profile.followingButton, confirm: ui.profile.unfollowConfirm } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'unfollow',
      fixture: 'follow-already.xml',
      config: { target_user: 'alice' },
      inspect: rec.inspect,
    });
    expect(result?.remark).toBe('unfollowed @alice');
    expect(rec.seen.clicks).toEqual({ following: 1, confirm: 1 });
  });

  it('leaves a user it does not follow alone', async () => {
    const rec = recorder({ clicks: { follow: ui.profile.followButton } });
    const { result } = await runOnFake({
      appiumUrl: appium.url,
      script: 'unfollow',
      fixture: 'follow.xml',
      config: { target_users: ['alice'] },
      inspect: rec.inspect,
    });
    expect(result?.remark).toBe('not following @alice');
    expect(rec.seen.clicks.follow).toBe(0);
  });
});
