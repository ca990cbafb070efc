/**
 * The scale-out drill: `npm run drill -- scale-out [--short]` (full form by default).
 *
 * Two API and two worker processes, run from the compiled production entry points, share one
 * `temporal server start-dev` (SQLite file) and one MariaDB of the drill's own, under a mixed
 * load of Suno and Midjourney tasks (against the simulators) and device tasks (a real Appium
 * with the fake driver). One worker and one API are SIGKILLed mid-flight and started again,
 * MariaDB and the Temporal server are each restarted once. Then every task must be final,
 * match its upstream, be charged once and refunded at most once (the ledger audit agrees),
 * no phone may have run two scripts at once and no job may have gone upstream twice.
 * It prints its figures as a table and exits 1 if any check failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runScaleOutDrill, SHAPES } from './support/scale-out-run';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function main(): Promise<number> {
  const temporalCli = process.env.TEMPORAL_CLI;
  if (!temporalCli) throw new Error('TEMPORAL_CLI is not set: run through `npm run drill -- scale-out`');
  const shape = process.argv.includes('--short') ? SHAPES.short : SHAPES.full;
  const root = repoRoot();
  // Compiled, this file is <build>/drill/scale-out.js: the entry points are its siblings.
  const result = await runScaleOutDrill({ shape, buildDir: path.resolve(__dirname, '..'), root, temporalCli });
  console.log(`\n${result.report}\n`);
  if (result.leftovers.length) console.log(`processes left running after the drill: ${result.leftovers.join('; ')}`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
