/// <reference lib="dom" />
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import request from 'supertest';
import { createDeviceLayer } from '../../devices';
import { offsetTaskIds } from '../device-tasks/harness';
import { startMidjourneySimulator, type MidjourneySimulator } from '../simulators/midjourney';
import { startSunoSimulator, type SunoSimulator } from '../simulators/suno';
import { createTestApp, type TestApp } from '../support/app';
import { useAppium } from '../support/appium';
import { freePort } from '../support/ports';
import { startTestWorker, type TestWorker } from '../support/temporal';

const ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
export const WEB_DIR = path.join(ROOT, 'dist/web');

/** The flags the brief fixes for Debian's Chromium, plus sound without a user gesture (the clip test plays audio). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export interface DashboardStack {
  t: TestApp;
  worker: TestWorker;
  suno: SunoSimulator;
  mj: MidjourneySimulator;
  appiumUrl: string;
  /** The API (and the dashboard) over real HTTP on 127.0.0.1. */
  base: string;
  browser: Browser;
  /** supertest against the same app, for setup and for checking what the browser did. */
  http(): ReturnType<typeof request>;
  root(req: request.Test): request.Test;
  /** A browser context of its own (its own localStorage) that records every request the page makes. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; requests: string[] }>;
  /** The viewport (scrolled to `focus` when given) once transitions have settled. */
  screenshot(page: Page, name: string, focus?: Locator): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything a person would reach through the dashboard, for real: the Koa app listening on
 * 127.0.0.1 serving the built dashboard, a worker with the batched Suno and Midjourney pollers
 * and the real device layer, the suite's Temporal dev server, a SQLite file, both upstream
 * simulators, the shared Appium with the fake driver, and Debian's Chromium.
 */
export async function startDashboardStack(): Promise<DashboardStack> {
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) {
    throw new Error('dist/web is not built: run `npm test` (it builds the dashboard) or `sh scripts/build-web.sh` first');
  }
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: run \`sh scripts/chromium.sh\` (npm test does) or set CHROMIUM_PATH`);

  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const appium = await useAppium();
    cleanup.push(() => appium.release());
    // Three upstream steps of 3 s: a song is visibly queued, then in progress, before it finishes.
    const suno = await startSunoSimulator({ stepMs: 3000 });
    cleanup.push(() => suno.stop());
    const mj = await startMidjourneySimulator({ stepMs: 300, imageBytes: 24 * 1024 });
    cleanup.push(() => mj.stop());

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      TASK_POLL_INTERVAL: '1',
      TASK_TIMEOUT_MINUTES: '3',
      SERVER_ADDRESS: base,
      APPIUM_URL: appium.url,
      EVENTS_POLL_MS: '200',
      DEVICE_LOCK_CHECK_SECONDS: '2',
      TEMPORAL_UI_URL: 'http://temporal-ui.test:8233',
      WEB_DIR,
    };
    const t = await createTestApp('sqlite', env);
    cleanup.push(() => t.close());
    await offsetTaskIds(t, randomInt(1_000_000, 2_000_000_000));
    const worker = await startTestWorker(t.deps.services, {
      taskQueue: t.deps.config.temporal.taskQueue,
      env,
      sunoPoller: true,
      mjPoller: true,
      deviceLayer: createDeviceLayer({ waitTimeoutMs: 400, pollMs: 50, logLevel: 'silent' }),
    });
    cleanup.push(async () => {
      for (const poller of ['suno-poller', 'mj-poller']) {
        await worker.temporal.client.workflow
          .getHandle(`${poller}-${worker.taskQueue}`)
          .terminate('test over')
          .catch(() => undefined);
      }
      await worker.stop();
    });

    const server = http.createServer(t.app.callback());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    cleanup.push(async () => {
      await t.deps.events.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    cleanup.push(() => browser.close());
    fs.mkdirSync(SCREENSHOTS, { recursive: true });

    const http_ = () => request(t.app.callback());
    const stack: DashboardStack = {
      t,
      worker,
      suno,
      mj,
      appiumUrl: appium.url,
      base,
      browser,
      http: http_,
      root: (req) => req.set('Authorization', `Bearer ${t.rootToken}`),
      async newPage(viewport = { width: 1280, height: 900 }) {
        const context = await browser.newContext({ viewport, baseURL: base });
        const page = await context.newPage();
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        page.setDefaultTimeout(20_000);
        return { context, page, requests };
      },
      async screenshot(page, name, focus) {
        if (focus) await focus.scrollIntoViewIfNeeded();
        // Drawers and modals slide in: wait for their CSS transitions to finish (bounded by Playwright's timeout).
        await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
        // Not fullPage: the app shell's fixed header would be painted in the middle of a stitched page.
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
      },
      async close() {
        for (const step of cleanup.reverse()) await step().catch(() => undefined);
      },
    };
    return stack;
  } catch (err) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    throw err;
  }
}
