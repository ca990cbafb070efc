import fs from 'node:fs';
import { stopSharedAppium } from './appium';

export default async function globalTeardown(): Promise<void> {
  await stopSharedAppium();
  await globalThis.__taskhubDevServer?.stop();
  if (globalThis.__taskhubBundleDir) fs.rmSync(globalThis.__taskhubBundleDir, { recursive: true, force: true });
}
