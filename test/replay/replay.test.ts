import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { quietRuntime } from '../support/temporal';

/**
 * The deploy guard: every history under histories/ (recorded from real runs by
 * `npm run record-histories`) is replayed against the workflow code as it is now. A change
 * that would send an in-flight workflow down another path than the one its history
 * recorded fails here, in CI, instead of in production with a nondeterminism error.
 */
const HISTORIES = path.join(__dirname, 'histories');
const ROOT = path.resolve(__dirname, '../..');

/** One stored history, in the Temporal CLI's (and the UI's) JSON format, which the replayer reads as is. */
interface Recorded {
  name: string;
  workflowType: string;
  workflowId: string;
  history: { events: Record<string, any>[] };
}

function recorded(): Recorded[] {
  return fs
    .readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const history = JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'));
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      if (!started?.workflowId) throw new Error(`${file} does not start with a WorkflowExecutionStarted event naming its workflow id`);
      return { name: file.replace(/\.json$/, ''), workflowType: started.workflowType.name, workflowId: started.workflowId, history };
    });
}

/**
 * Replays every history against one bundle; resolves with `name: error` for each that did not replay.
 * Each replays under its recorded workflow id: the device task's lock request names it, so under
 * another id its lock would never be granted and the replay would take another path.
 */
async function replayAll(bundlePath: string, histories: Recorded[]): Promise<Record<string, Error>> {
  const failures: Record<string, Error> = {};
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: bundlePath }, replayName: 'deploy-guard' },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  // One history at a time, in order: the n-th result is the n-th history's.
  let n = 0;
  for await (const result of results) {
    const h = histories[n++]!;
    if (result.error) failures[h.name] = result.error;
  }
  if (n !== histories.length) throw new Error(`the replayer answered for ${n} of ${histories.length} histories`);
  return failures;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (msg: string) => console.error(msg) };

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/** The workflow sources copied aside with `edits` applied to `file`, bundled as a deploy would bundle them. */
async function bundleEdited(file: string, edits: [find: string, replace: string][]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-replay-'));
  copies.push(dir);
  for (const folder of ['workflows', 'domain']) fs.cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  const target = path.join(dir, file);
  let source = fs.readFileSync(target, 'utf8');
  for (const [find, replace] of edits) {
    if (!source.includes(find)) throw new Error(`${file} no longer contains the line this test edits (${find.trim()}): update the test`);
    source = source.replace(find, replace);
  }
  fs.writeFileSync(target, source);
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(dir, 'workflows/index.ts'),
    logger: quietLogger,
    // The copy lives outside the checkout; the SDK is still found in the checkout's node_modules.
    webpackConfigHook: (config) => ({ ...config, resolve: { ...config.resolve, modules: [path.join(ROOT, 'node_modules'), 'node_modules'] } }),
  });
  const bundle = path.join(dir, 'workflows-bundle.js');
  fs.writeFileSync(bundle, code);
  return bundle;
}

// A change a developer might well make: tell the UI a task is being submitted before submitting it.
const SUNO_TASK = 'workflows/suno/suno-task.ts';
const SUBMIT = `      const submitted = await submitSunoTask({ taskId: input.taskId, seq: ++seq });`;
const IMPORTS = `import { allHandlersFinished, CancellationScope,`;
const SUBMITTING = `upsertSearchAttributes([{ key: TaskStatus, value: 'SUBMITTING' }]);`;

describe('recorded histories replay against the current workflow code', () => {
  // The replays meant to fail would otherwise fill the output with the SDK's warnings.
  beforeAll(quietRuntime);
  const histories = recorded();

  test('cover every workflow type and every way a task ends', () => {
    const types = new Set(histories.map((h) => h.workflowType));
    expect([...types].sort()).toEqual(['deviceTask', 'deviceTaskSweeper', 'generationPoller', 'ledgerAudit', 'mjNotify', 'mjTask', 'phoneLock', 'sunoTask']);
    const names = histories.map((h) => h.name);
    for (const outcome of ['success', 'failure-refund', 'refused', 'rejected', 'stopped', 'retry', 'retried', 'continued', 'continuation'])
      expect(names.some((n) => n.includes(outcome))).toBe(true);
  });

  test('every history replays without a nondeterminism error', async () => {
    expect(await replayAll(process.env.TASKHUB_WORKFLOW_BUNDLE!, histories)).toEqual({});
  });

  test('a change to a workflow that is not patched fails the replay; the same change behind patched() passes', async () => {
    const suno = histories.filter((h) => h.workflowType === 'sunoTask' && !h.name.endsWith('-continuation'));
    expect(suno.length).toBeGreaterThan(0);

    const broken = await bundleEdited(SUNO_TASK, [[SUBMIT, `      ${SUBMITTING}\n${SUBMIT}`]]);
    const failures = await replayAll(broken, suno);
    expect(Object.keys(failures).sort()).toEqual(suno.map((h) => h.name).sort());
    for (const err of Object.values(failures)) expect(err).toBeInstanceOf(DeterminismViolationError);

    // The rule of docs/operations.md ("Before a deploy"): the new behaviour only where patched() says so.
    const guarded = await bundleEdited(SUNO_TASK, [
      [IMPORTS, `import { allHandlersFinished, patched, CancellationScope,`],
      [SUBMIT, `      if (patched('status-before-submit')) ${SUBMITTING}\n${SUBMIT}`],
    ]);
    expect(await replayAll(guarded, suno)).toEqual({});
  }, 120_000);
});
