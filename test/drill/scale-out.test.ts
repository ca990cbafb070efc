import path from 'node:path';
import { runScaleOutDrill, SHAPES } from '../../drill/support/scale-out-run';
import { compiledTree } from '../support/build';

/**
 * The short form of `npm run drill -- scale-out`: the same drill with a smaller load, so that
 * every change is tried against 2 APIs and 2 workers losing a process each, a MariaDB restart
 * and a Temporal restart.
 */
describe('scale-out drill (short form)', () => {
  test('2 APIs and 2 workers: a worker and an API killed, MariaDB and Temporal restarted; every promise holds', async () => {
    const lines: string[] = [];
    const result = await runScaleOutDrill({
      shape: SHAPES.short,
      buildDir: compiledTree(),
      root: path.resolve(__dirname, '../..'),
      temporalCli: process.env.TEMPORAL_CLI!,
      workflowBundle: process.env.TASKHUB_WORKFLOW_BUNDLE,
      log: (line) => lines.push(line),
    });
    console.log(result.report);

    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual([
      'every task final',
      'outcomes match the upstream',
      'each task charged once, refunded at most once',
      'ledger audit clean',
      'no phone ran two scripts at once',
      'no duplicate upstream submit',
      'APIs answer 503 while MariaDB is down',
    ]);
    expect(result.figures.disruptions.map((d) => d.what)).toEqual([
      'SIGKILL worker-1, then start it again',
      'SIGKILL api-1, then start it again',
      'restart MariaDB (stopped, then started)',
      'restart the Temporal server',
    ]);
    // The load was real: songs and images both ways, and scripts on every phone.
    const { suno, midjourney, device } = result.figures.tally;
    expect(suno.SUCCESS).toBeGreaterThan(0);
    expect(suno.FAILURE).toBeGreaterThan(0);
    expect(midjourney.SUCCESS).toBeGreaterThan(0);
    expect(midjourney.FAILURE).toBeGreaterThan(0);
    // A create whose connection broke as its API died is not sent again (it has no idempotency key).
    expect(device.completed).toBeGreaterThanOrEqual(SHAPES.short.phones * SHAPES.short.warmupsPerPhone * 2 - result.figures.ambiguous);
    expect(Object.keys(device)).toEqual(['completed']);
    expect(result.leftovers).toEqual([]);
  }, 300_000);
});
