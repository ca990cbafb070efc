/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { appiumSessionsOf, fakeCapabilities } from '../device-tasks/harness';
import { startDashboardStack, type DashboardStack } from './stack';

/**
 * The dashboard in Debian's Chromium against the real stack (see stack.ts). Each test is what a
 * person does on one screen; each main screen leaves a screenshot in test-results/screenshots/.
 * Waits are Playwright's (bounded by its timeouts), never sleeps.
 */

jest.setTimeout(180_000);

const IN_FLIGHT = /^(NOT_START|SUBMITTED|QUEUED|IN_PROGRESS)$/;

let s: DashboardStack;
const alice = { username: `alice_${Date.now().toString(36)}`, password: 'correct horse battery', id: 0, token: '' };

beforeAll(async () => {
  s = await startDashboardStack();
  const created = await s.root(s.http().post('/api/user/')).send({ username: alice.username, password: alice.password, quota: 2_000_000 });
  expect(created.status).toBe(200);
  alice.id = created.body.data.id;
  alice.token = created.body.data.access_token;
  for (const channel of [
    { type: 36, name: 'suno-sim', key: s.suno.secret, base_url: s.suno.url },
    { type: 2, name: 'mj-sim', key: s.mj.secret, base_url: s.mj.url },
  ]) {
    expect((await s.root(s.http().post('/api/channel/')).send(channel)).status).toBe(200);
  }
});

afterAll(async () => {
  await s?.close();
});

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Access token' }).click();
  await page.getByRole('textbox', { name: 'Access token' }).fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByTestId('live-state').waitFor();
}

const nav = (page: Page, label: string) => page.getByRole('navigation').getByRole('link', { name: label }).click();

/** Picks `option` in a Mantine Select/MultiSelect labelled `label`. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const statusOf = (scope: Locator) => scope.getByTestId('status').innerText();

describe('the dashboard in a real browser', () => {
  it('refuses a wrong password with an error, and changes nothing', async () => {
    const { context, page } = await s.newPage();
    try {
      const before = (await s.root(s.http().get(`/api/log/?user_id=${alice.id}`))).body.data.total;
      await signIn(page, alice.username, 'not the password');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/Sign-in failed[\s\S]*(invalid|wrong|password|username)/i);
      expect(await page.evaluate(() => localStorage.getItem('taskhub.accessToken'))).toBeNull();
      await s.screenshot(page, 'sign-in-error');
      // A failed login revokes nothing: the token issued at creation still works, the balance and ledger are as they were.
      const self = await s.http().get('/api/user/self').set('Authorization', `Bearer ${alice.token}`);
      expect(self.status).toBe(200);
      expect(self.body.data.quota).toBe(2_000_000);
      expect((await s.root(s.http().get(`/api/log/?user_id=${alice.id}`))).body.data.total).toBe(before);
    } finally {
      await context.close();
    }
  });

  it('signs in, makes a key, submits a song from the playground, sees it go from running to SUCCESS live, and plays the clip', async () => {
    const { context, page, requests } = await s.newPage();
    try {
      await signIn(page, alice.username, alice.password);
      await page.getByTestId('whoami').filter({ hasText: alice.username }).waitFor();
      await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
      await page.getByText('Tasks per hour by status').waitFor();
      await s.screenshot(page, 'overview');

      await nav(page, 'API keys');
      await page.getByLabel('Name').fill('browser');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.getByTestId('new-key').innerText();
      expect(key).toMatch(/^sk-/);
      await s.screenshot(page, 'keys');

      await nav(page, 'Playground');
      await page.getByLabel('Describe the song').fill('a song about durable workflows');
      await page.getByRole('button', { name: 'Submit song' }).click();
      const card = page.locator('[data-testid^="watch-task_"]');
      await card.getByTestId('status').waitFor();
      const taskId = (await card.getAttribute('data-testid'))!.replace('watch-', '');
      // Seen running (its first events may race the first fetch, which is then repeated once): from
      // IN_PROGRESS on, the row changes only through /api/events, never through a refetch of the list.
      await card
        .getByTestId('status')
        .filter({ hasText: /^IN_PROGRESS$/ })
        .waitFor({ timeout: 60_000 });
      expect(await statusOf(card)).toMatch(IN_FLIGHT);
      const listCallsWhileRunning = requests.filter((u) => u.includes('/api/task/')).length;
      await card
        .getByTestId('status')
        .filter({ hasText: /^SUCCESS$/ })
        .waitFor({ timeout: 90_000 });
      expect(requests.filter((u) => u.includes('/api/task/')).length).toBe(listCallsWhileRunning);
      expect(requests.filter((u) => u.includes('/api/events')).length).toBeGreaterThanOrEqual(1);
      const price = s.t.deps.config.modelPrices.suno_music * s.t.deps.config.quotaPerUnit;
      expect(await card.innerText()).toContain(`charged ${price.toLocaleString('en-US')}`);

      const audio = card.getByTestId('clip-audio').first();
      await audio.evaluate((el: HTMLAudioElement) => el.play());
      await page.waitForFunction((el) => (el as HTMLAudioElement).currentTime > 0 || (el as HTMLAudioElement).ended, await audio.elementHandle());
      expect(await audio.evaluate((el: HTMLAudioElement) => el.error)).toBeNull();
      expect(await audio.getAttribute('src')).toMatch(new RegExp(`^/suno/audio/${taskId}/`));
      await s.screenshot(page, 'playground');

      await nav(page, 'Tasks');
      const row = page.getByTestId(`task-row-${taskId}`);
      await row
        .getByTestId('status')
        .filter({ hasText: /^SUCCESS$/ })
        .waitFor();
      expect(await row.getByRole('link').first().getAttribute('href')).toBe(`http://temporal-ui.test:8233/namespaces/default/workflows/suno-${taskId}`);
      await choose(page, 'Status', 'FAILURE');
      await page.getByText('No tasks match.').waitFor();
      await page.getByRole('button', { name: 'Reset' }).click();
      await row.waitFor();
      await s.screenshot(page, 'tasks');

      // The page talked to taskhub only: API, assets, fonts, images and audio all from its own origin.
      expect(requests.filter((u) => !u.startsWith(s.base) && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('imagines from the playground and acts U1 on the finished drawing', async () => {
    const { context, page } = await s.newPage();
    try {
      await signIn(page, alice.username, alice.password);
      await nav(page, 'API keys');
      await page.getByLabel('Name').fill('drawings');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByTestId('new-key').waitFor();

      await nav(page, 'Playground');
      await page.getByRole('tab', { name: 'Midjourney imagine' }).click();
      await page.getByLabel('Prompt').fill('a lighthouse at dawn --ar 3:2');
      await page.getByRole('button', { name: 'Imagine' }).click();
      const watch = page.locator('[data-testid^="watch-"]').first();
      await watch
        .getByTestId('status')
        .filter({ hasText: /^SUCCESS$/ })
        .waitFor({ timeout: 60_000 });
      const mjId = (await watch.getAttribute('data-testid'))!.replace('watch-', '');

      await nav(page, 'Drawings');
      const card = page.getByTestId(`drawing-${mjId}`);
      const thumb = card.getByRole('img');
      await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0, await thumb.elementHandle());
      await card.getByRole('button', { name: 'U1', exact: true }).click();
      const result = card.getByTestId('action-result');
      await result.waitFor();
      const upscaleId = (await result.innerText()).split(': ').pop()!.trim();
      expect(upscaleId).toMatch(/^\d+$/);
      const upscale = page.getByTestId(`drawing-${upscaleId}`);
      await upscale
        .getByTestId('status')
        .filter({ hasText: /^SUCCESS$/ })
        .waitFor({ timeout: 60_000 });
      expect(await upscale.innerText()).toMatch(/UPSCALE/);
      await s.screenshot(page, 'drawings');

      const row = await s.t.deps.services.midjourney.byMjId(upscaleId);
      expect(row).toMatchObject({ userId: alice.id, action: 'UPSCALE', parentMjId: mjId, status: 'SUCCESS' });
    } finally {
      await context.close();
    }
  });

  it('registers a fake phone, creates a device task, stops it mid-script and retries it', async () => {
    const { context, page } = await s.newPage();
    const serial = `WEB-${Date.now().toString(36)}`;
    let taskId = 0;
    try {
      await signInWithToken(page, s.t.rootToken);
      await nav(page, 'Phones');
      await page.getByLabel('Serial').fill(serial);
      await page.getByLabel('Name', { exact: true }).fill('desk phone');
      await page.getByLabel('Appium capabilities (JSON, optional)').fill(JSON.stringify(fakeCapabilities('warmup.xml')));
      await page.getByRole('button', { name: 'Save phone' }).click();
      await page.getByTestId(`phone-${serial}`).waitFor();
      await s.screenshot(page, 'phones');

      await nav(page, 'Device tasks');
      await choose(page, 'Phones', serial);
      await page.keyboard.press('Escape');
      await page.getByLabel('task duration').fill('120');
      await page.getByLabel('min duration').fill('0.2');
      await page.getByLabel('max duration').fill('0.4');
      await page.getByRole('button', { name: 'Create task' }).click();
      const created = await page.getByTestId('created').innerText();
      taskId = Number(/: (\d+)/.exec(created)![1]);
      const row = page.getByTestId(`device-task-${taskId}`);
      await row
        .getByTestId('status')
        .filter({ hasText: /^running$/ })
        .waitFor({ timeout: 60_000 });
      await page
        .getByTestId('device-stat-running')
        .filter({ hasText: /^[1-9]/ })
        .waitFor();

      // Stop mid-script: the row turns failed (live), with the remark, and the phone's Appium session is closed.
      await row.getByRole('button', { name: `stop ${taskId}` }).click();
      await row
        .getByTestId('status')
        .filter({ hasText: /^failed$/ })
        .waitFor({ timeout: 30_000 });
      expect(await row.getByTestId('remark').innerText()).toBe('stopped by request');
      for (let i = 0; i < 100 && (await appiumSessionsOf(s.appiumUrl, serial)).length > 0; i++) await page.waitForTimeout(100);
      expect(await appiumSessionsOf(s.appiumUrl, serial)).toEqual([]);

      await row.getByRole('button', { name: `retry ${taskId}` }).click();
      await row
        .getByTestId('status')
        .filter({ hasText: /^running$/ })
        .waitFor({ timeout: 60_000 });
      expect(await row.innerText()).toMatch(/retry 1/);
      await page.getByTestId('device-stat-running').filter({ hasText: /^1$/ }).waitFor();
      await s.screenshot(page, 'device-tasks', page.getByRole('heading', { name: 'Device tasks' }));
      await s.screenshot(page, 'device-task-list', row);

      await nav(page, 'Phones');
      await page.getByTestId(`phone-${serial}`).getByRole('button', { name: 'Queue' }).click();
      await page.getByTestId('phone-queue').getByText(`#${taskId} account_warmup`).waitFor();
      await s.screenshot(page, 'phone-queue');
    } finally {
      // A delete stops the retried run, so nothing keeps the phone busy after the test.
      if (taskId) await s.http().delete(`/api/v1/task/${taskId}`);
      await context.close();
    }
  });

  it("lets an admin change a user's quota, and the ledger shows the adjustment", async () => {
    const { context, page } = await s.newPage();
    try {
      await signInWithToken(page, s.t.rootToken);
      await nav(page, 'Users');
      const before = (await s.root(s.http().get(`/api/user/${alice.id}`))).body.data.quota as number;
      const row = page.getByTestId(`user-${alice.username}`);
      await row.getByRole('button', { name: 'Edit quota' }).click();
      await page.getByLabel('New quota').fill(String(before + 1_234_567));
      await page.getByRole('button', { name: 'Save quota' }).click();
      await row
        .getByTestId('quota')
        .filter({ hasText: (before + 1_234_567).toLocaleString('en-US') })
        .waitFor();

      await row.getByRole('button', { name: 'Ledger' }).click();
      const entry = page.getByTestId('ledger').getByTestId('ledger-adjustment').first();
      await entry.waitFor();
      expect(await entry.getByTestId('amount').innerText()).toBe(`+${(1_234_567).toLocaleString('en-US')}`);
      await s.screenshot(page, 'users-ledger');

      const log = (await s.root(s.http().get(`/api/log/?user_id=${alice.id}&kind=adjustment`))).body.data;
      expect(log.items[0]).toMatchObject({ kind: 'adjustment', amount: 1_234_567, balance_after: before + 1_234_567 });

      await page.keyboard.press('Escape');
      await nav(page, 'Channels');
      await page.getByText('suno-sim').waitFor();
      await s.screenshot(page, 'channels');
    } finally {
      await context.close();
    }
  });

  it('works on a phone-sized screen', async () => {
    const { context, page } = await s.newPage({ width: 390, height: 844 });
    try {
      // Signing in by password elsewhere revoked the token alice was created with: take a fresh one.
      const login = await s.http().post('/api/user/login').send({ username: alice.username, password: alice.password });
      await signInWithToken(page, login.body.data.access_token);
      await page.getByText('Tasks per hour by status').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await s.screenshot(page, 'mobile-overview');
      await page.getByRole('button', { name: 'menu' }).click();
      await nav(page, 'Tasks');
      await page.getByText('Generation tasks').waitFor();
      await s.screenshot(page, 'mobile-tasks');
    } finally {
      await context.close();
    }
  });
});
