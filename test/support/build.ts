import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The whole tree compiled to JavaScript, for tests that run the real entry points as
 * processes (`node <dir>/cli/start.js`, `api/main.js`, `worker/main.js`). `npm test`
 * compiles it once and says where (TASKHUB_BUILD_DIR); a focused Jest run compiles it here,
 * once per run, under a lock so that two test files never write it at the same time.
 */
export function compiledTree(): string {
  if (process.env.TASKHUB_BUILD_DIR) return process.env.TASKHUB_BUILD_DIR;
  const out = path.join(ROOT, '.bench-dist');
  const lock = path.join(ROOT, '.bench-dist.lock');
  const stamp = path.join(out, `.compiled-by-${process.ppid}`);
  for (let i = 0; i < 1200; i++) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another test file of this run is compiling; wait for it (2 minutes at most).
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      continue;
    }
    try {
      if (!fs.existsSync(stamp)) {
        execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', path.join(ROOT, 'tsconfig.bench.json')], { stdio: 'inherit' });
        fs.writeFileSync(stamp, '');
      }
      return out;
    } finally {
      fs.rmdirSync(lock);
    }
  }
  throw new Error(`${lock} stayed locked for 2 minutes: remove it if no test run is compiling`);
}
