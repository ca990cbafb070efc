import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { startSharedAppium } from './appium';
import { freePort } from './ports';

declare global {
  var __taskhubDevServer: DevServer | undefined;
  var __taskhubBundleDir: string | undefined;
}

/**
 * One real Temporal dev server (in memory, headless) and one workflow bundle
 * for the whole run: bundling per test file would cost seconds each time.
 * Suites that need neither can set TASKHUB_TEST_NO_TEMPORAL=1.
 */
export default async function globalSetup(): Promise<void> {
  // one in-process Appium (fake driver) for device tests: APPIUM_TEST_URL; TASKHUB_TEST_NO_APPIUM=1 skips it
  await startSharedAppium();
  if (process.env.TASKHUB_TEST_NO_TEMPORAL === '1') return;
  const root = path.resolve(__dirname, '../..');
  const cliPath = process.env.TEMPORAL_CLI || execFileSync('sh', [path.join(root, 'scripts/temporal-cli.sh')], { encoding: 'utf8' }).trim();
  // Suites that start servers of their own (the launcher's, the drill's) use the same CLI.
  process.env.TEMPORAL_CLI = cliPath;
  const server = await startDevServer({ cliPath, port: await freePort() });
  globalThis.__taskhubDevServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-bundle-'));
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows/index.ts'), logger: quietLogger });
  const bundle = path.join(dir, 'workflows.js');
  fs.writeFileSync(bundle, code);
  globalThis.__taskhubBundleDir = dir;
  process.env.TASKHUB_WORKFLOW_BUNDLE = bundle;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (msg: string) => console.error(msg) };
