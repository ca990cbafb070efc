/// <reference lib="dom" />
import fs from 'node:fs';
import http from 'node:http';
import type * as PlaywrightCore from 'playwright-core';
import path from 'node:path';
import { requireOutsideSandbox } from '../support/outside-sandbox';
import { freePort } from '../support/ports';
import { startMjHarness, type MjHarness } from '../support/mj-harness';

// Loaded outside Jest's sandbox, like webdriverio: playwright-core import()s parts of itself.
const { chromium } = requireOutsideSandbox('playwright-core') as typeof PlaywrightCore;

/** Debian's chromium (scripts/chromium.sh finds or installs it; npm test sets CHROMIUM_PATH). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../test-results/browser');

/**
 * A real browser on a page of another origin (another port on 127.0.0.1) uses taskhub
 * as midjourney-proxy web clients do: preflighted fetch() with mj-api-secret, an <img>
 * of the forwarded image, then the U1 button.
 */
describe('a browser client on another origin', () => {
  let h: MjHarness;
  let api: http.Server;
  let page: http.Server;
  let apiUrl: string;
  let pageUrl: string;
  /** Preflights as the API saw them: Chromium sends them itself, out of the page's sight. */
  const preflights: string[] = [];
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run sh scripts/chromium.sh (npm test does)`);
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    h = await startMjHarness('sqlite', { SERVER_ADDRESS: apiUrl });
    await h.addChannel();
    const app = h.t.app.callback();
    api = http.createServer((req, res) => {
      if (req.method === 'OPTIONS') preflights.push(`${req.url} ${req.headers['access-control-request-headers'] ?? ''}`);
      void app(req, res);
    });
    await new Promise<void>((resolve) => api.listen(apiPort, '127.0.0.1', resolve));
    const html = fs.readFileSync(path.join(__dirname, 'mj-client.html'));
    page = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    const pagePort = await freePort();
    await new Promise<void>((resolve) => page.listen(pagePort, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${pagePort}/`;
  });
  afterAll(async () => {
    for (const server of [page, api]) {
      if (!server) continue;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await h?.close();
  });

  test('submits an imagine, polls it, shows the forwarded image and presses U1', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const tab = await browser.newPage();
      const corsErrors: string[] = [];
      tab.on('console', (msg) => {
        if (msg.type() === 'error') corsErrors.push(msg.text());
      });
      await tab.goto(`${pageUrl}?api=${encodeURIComponent(apiUrl)}&key=${encodeURIComponent(h.user.key)}`);
      await tab.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('state')!.textContent!), undefined, { timeout: 45_000 });
      const log = await tab.textContent('#log');
      expect({ state: await tab.textContent('#state'), log }).toEqual({ state: 'ready', log: expect.stringContaining('/mj/submit/imagine -> 200') });
      expect(await tab.evaluate(() => (document.getElementById('image') as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await tab.getAttribute('#image', 'src')).toMatch(new RegExp(`^${apiUrl}/mj/image/\\d{19}$`));

      await tab.click('#buttons button:text-is("U1")');
      await tab.waitForFunction(() => document.getElementById('state')!.textContent === 'U1 pressed', undefined, { timeout: 30_000 });
      expect(await tab.evaluate(() => document.body.dataset.upscaleCode)).toBe('1');
      const upscale = await tab.evaluate(() => document.body.dataset.upscaleId!);
      expect(await h.waitFor(upscale, ['SUCCESS'])).toMatchObject({ action: 'UPSCALE' });

      // The browser really did preflight (mj-api-secret and a JSON body are not "simple"), and nothing was blocked.
      expect(preflights).toEqual(expect.arrayContaining([expect.stringMatching(/^\/mj\/submit\/imagine content-type,mj-api-secret$/)]));
      expect(corsErrors).toEqual([]);
      fs.mkdirSync(SHOTS, { recursive: true });
      await tab.screenshot({ path: path.join(SHOTS, 'mj-client.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
