import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spawnWatched } from '../../lib/watched';
import { startedGroup } from './groups';
import { waitFor } from './wait';

/**
 * The project's own Appium 3 as a process of the drill's, with the fake driver (a pinned
 * devDependency: Appium finds drivers through the package.json of the directory it runs in).
 */
export async function startAppiumProcess(root: string, port: number, logFile: string): Promise<{ url: string; close(): Promise<void> }> {
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawnWatched(
      process.execPath,
      [path.join(root, 'node_modules/appium/index.js'), 'server', '--address', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, APPIUM_HOME: root },
        output: fd,
      },
    );
    startedGroup(child.pid);
  } finally {
    fs.closeSync(fd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(`Appium on ${url} (log: ${logFile})`, 60_000, 200, async () => {
    if (child.exitCode !== null) throw new Error(`Appium exited with ${child.exitCode}; see ${logFile}`);
    return fetch(`${url}status`).then(
      (r) => r.ok,
      () => false,
    );
  });
  return {
    url,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
