import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__taskhubDevServer?.stop();
  if (globalThis.__taskhubBundleDir) fs.rmSync(globalThis.__taskhubBundleDir, { recursive: true, force: true });
}
