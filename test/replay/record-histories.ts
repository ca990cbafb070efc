/**
 * Records the histories that test/replay/replay.test.ts replays: `npm run record-histories`.
 * Not part of `npm test` (its name does not end in .test.ts); run it after a deliberate,
 * patched change to a workflow, review the diff of test/replay/histories/, and commit it.
 *
 * Every workflow type, every way a task ends: success, failure with refund, refusal, stop,
 * automatic and manual retry, and continue-as-new, through the real API, worker, simulators
 * and Appium, exactly as the other suites drive them.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Client } from '@temporalio/client';
import { mjNotifyWorkflowId } from '../../domain';
import { ensureDeviceSweeper } from '../../temporal/task-workflows/singletons';
import { COMPLETED, FAILED, RUNNING, useDeviceHarness, warmup } from '../device-tasks/harness';
import { runsOf } from '../support/history';
import { temporalAddress } from '../support/temporal';
import { startMjHarness, type MjHarness } from '../support/mj-harness';
import { startSunoHarness, type SunoHarness } from '../support/suno-harness';

export const HISTORIES = path.join(__dirname, 'histories');
const CHATTY = { WORKFLOW_HISTORY_BUDGET: '60', TASK_TIMEOUT_MINUTES: '10' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes one run's history; unless `open`, only once the run has closed (its projection may say SUCCESS a moment earlier). */
async function save(client: Client, name: string, workflowId: string, runId?: string, open = false): Promise<void> {
  const handle = client.workflow.getHandle(workflowId, runId);
  if (!open) await handle.result();
  const run = runId ?? (await handle.describe()).runId;
  // The CLI's JSON is the format operators download from the UI, and what the replayer reads as it is.
  const json = execFileSync(
    process.env.TEMPORAL_CLI!,
    ['workflow', 'show', '--address', temporalAddress(), '--workflow-id', workflowId, '--run-id', run, '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  fs.writeFileSync(path.join(HISTORIES, `${name}.json`), json.endsWith('\n') ? json : `${json}\n`);
}

/** Saves the first run (continued as new) and the last one (closed) of a workflow that continued as new. */
async function saveContinued(client: Client, name: string, workflowId: string): Promise<void> {
  const runs = await runsOf(client, workflowId);
  if (runs.length < 2) throw new Error(`${workflowId} did not continue as new`);
  await save(client, `${name}-continued`, workflowId, runs[0]!.runId);
  await save(client, `${name}-continuation`, workflowId, runs.at(-1)!.runId);
}

async function continuedAtLeast(client: Client, workflowId: string, times: number): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if ((await runsOf(client, workflowId)).length > times) return;
    await sleep(250);
  }
  throw new Error(`${workflowId} did not continue as new ${times} times`);
}

// Only this recorder's own files are rewritten: older histories kept under other names (runs
// that may still be open in production) stay and keep being replayed.
beforeAll(() => fs.mkdirSync(HISTORIES, { recursive: true }));

describe('Suno', () => {
  let h: SunoHarness;
  beforeAll(async () => {
    h = await startSunoHarness('sqlite', CHATTY);
    await h.addChannel();
  });
  afterAll(() => h?.close());

  test('success, failure with refund, rejected submission, continue-as-new, the poller', async () => {
    const client = h.worker.temporal.client;
    const ok = (await h.submit('music', { prompt: 'a song that works' })).body.data;
    const failed = (await h.submit('music', { prompt: 'a song that fails [sim:fail]' })).body.data;
    await h.waitFor(ok, ['SUCCESS']);
    await h.waitFor(failed, ['FAILURE']);
    h.sim.injectFaults('submit', [{ reject: 'prompt refused by the upstream' }]);
    const rejected = (await h.submit('music', { prompt: 'a song the upstream refuses' })).body.data;
    await h.waitFor(rejected, ['FAILURE']);
    const chatty = (await h.submit('music', { prompt: 'a song that streams on [sim:chatty]' })).body.data;
    await continuedAtLeast(client, `suno-${chatty}`, 1);
    h.sim.complete(h.sim.tasks().find((t) => JSON.stringify(t).includes('streams on'))!.task_id);
    await h.waitFor(chatty, ['SUCCESS']);

    await save(client, 'suno-task-success', `suno-${ok}`);
    await save(client, 'suno-task-failure-refund', `suno-${failed}`);
    await save(client, 'suno-task-submission-rejected', `suno-${rejected}`);
    await saveContinued(client, 'suno-task', `suno-${chatty}`);
    await save(client, 'generation-poller-suno-open', `suno-poller-${h.worker.taskQueue}`, undefined, true);
    const audit = `ledger-audit-${h.worker.taskQueue}`;
    await client.workflow.execute('ledgerAudit', { taskQueue: h.worker.taskQueue, workflowId: audit, args: [100] });
    await save(client, 'ledger-audit', audit);
  }, 180_000);
});

/** A notifyHook receiver on 127.0.0.1 that answers 500 once, then 204: a delivery that needs its retry. */
async function startHook() {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(calls++ === 0 ? 500 : 204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, host: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Midjourney', () => {
  let h: MjHarness;
  let hook: Awaited<ReturnType<typeof startHook>>;
  beforeAll(async () => {
    hook = await startHook();
    h = await startMjHarness('sqlite', { ...CHATTY, MJ_NOTIFY_ENABLED: 'true', MJ_NOTIFY_ALLOWED_HOSTS: hook.host }, { stepMs: 200 });
    await h.addChannel();
  });
  afterAll(async () => {
    await h?.close();
    await hook?.close();
  });

  test('success, refusal, failure with refund, continue-as-new, the poller', async () => {
    const client = h.worker.temporal.client;
    const ok = (await h.submit('imagine', { prompt: 'a lighthouse' })).body.result!;
    const failed = (await h.submit('imagine', { prompt: 'a storm [sim:fail]' })).body.result!;
    const refused = await h.submit('imagine', { prompt: 'a banned-word picture' });
    expect(refused.body.code).toBe(24);
    await h.waitFor(ok, ['SUCCESS']);
    await h.waitFor(failed, ['FAILURE']);
    const chatty = (await h.submit('imagine', { prompt: 'a restless sea [sim:chatty]' })).body.result!;
    await continuedAtLeast(client, `mj-${chatty}`, 1);
    h.sim.complete(h.sim.tasks().find((t) => t.prompt?.includes('restless sea'))!.id);
    await h.waitFor(chatty, ['SUCCESS']);
    const refusedRow = await h.t.db.orm.em
      .fork()
      .getConnection()
      .execute<{ mj_id: string }[]>("select mj_id from midjourneys where prompt like '%banned-word%'");

    await save(client, 'mj-task-success', `mj-${ok}`);
    await save(client, 'mj-task-failure-refund', `mj-${failed}`);
    await save(client, 'mj-task-refused', `mj-${refusedRow[0]!.mj_id}`);
    await saveContinued(client, 'mj-task', `mj-${chatty}`);
    await save(client, 'generation-poller-mj-open', `mj-poller-${h.worker.taskQueue}`, undefined, true);

    // One notifyHook delivery, refused once by the receiver and then delivered.
    const notified = (await h.submit('imagine', { prompt: 'call me back', notifyHook: hook.url })).body.result!;
    await h.waitFor(notified, ['SUCCESS']);
    await save(client, 'mj-notify-retried', mjNotifyWorkflowId(notified, 'SUCCESS'));
  }, 180_000);
});

describe('device tasks', () => {
  const ctx = useDeviceHarness('sqlite', {
    WORKFLOW_HISTORY_BUDGET: '60',
    DEVICE_LOCK_CHECK_SECONDS: '0.5',
    DEVICE_TASK_AUTO_RETRY: 'true',
    DEVICE_TASK_MAX_RETRIES: '2',
    DEVICE_RETRY_DELAY_MIN_SECONDS: '0.2',
    DEVICE_RETRY_DELAY_MAX_SECONDS: '0.5',
  });

  test('success, failure with automatic and manual retry, stop, the phone lock continued while held, the sweeper', async () => {
    const { h } = ctx;
    const client = h.worker.temporal.client;
    const phone = await h.addPhone('warmup.xml');
    // A long warm-up holds the phone while its lock checks it twice a second: the lock continues as new meanwhile.
    const [long] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(8) });
    const [short] = await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(1) });
    await h.waitForStatus(long!, [COMPLETED], 60_000);
    await h.waitForStatus(short!, [COMPLETED], 60_000);

    // Stopped mid-script, then retried by hand (a new execution of the same workflow id), and stopped again.
    const stopped = (await h.create({ serials: [phone], script_name: 'account_warmup', script_config: warmup(300) }))[0]!;
    await h.waitForStatus(stopped, [RUNNING], 30_000);
    await h.stop(stopped);
    await h.waitForStatus(stopped, [FAILED], 30_000);
    await save(client, 'device-task-stopped', `device-${stopped}`);
    const retry = await h.http().post(`/api/v1/task/${stopped}/retry`);
    expect(retry.body.code).toBe(0);
    await h.waitForStatus(stopped, [RUNNING], 30_000);
    await h.stop(stopped);
    await h.waitFor(stopped, (t) => t.status === FAILED && t.retry_count === 1, 30_000);
    await save(client, 'device-task-manual-retry-stopped', `device-${stopped}`);

    // A script that fails, retried automatically (each retry continues as new) until the limit.
    const broken = await h.addPhone('follow-missing-button.xml');
    const [failing] = await h.create({ serials: [broken], script_name: 'follow', script_config: { target_users: ['alice'], access_method: 'search' } });
    await h.waitFor(failing!, (t) => t.status === FAILED && t.retry_count === 2, 60_000);

    const sweeper = `device-task-sweeper-${h.worker.taskQueue}`;
    await ensureDeviceSweeper(client, h.worker.taskQueue, 1, sweeper);
    await sleep(3500);

    await save(client, 'device-task-success', `device-${short}`);
    const failingRuns = await runsOf(client, `device-${failing}`);
    await save(client, 'device-task-failure-retried', `device-${failing}`, failingRuns[0]!.runId);
    await save(client, 'device-task-failure-final', `device-${failing}`, failingRuns.at(-1)!.runId);
    const lockRuns = await runsOf(client, `phone-${phone}`);
    if (lockRuns.length < 3) throw new Error(`phone-${phone} continued as new ${lockRuns.length - 1} times`);
    await save(client, 'phone-lock-continued-while-held', `phone-${phone}`, lockRuns[0]!.runId, true);
    await save(client, 'phone-lock-continuation-held', `phone-${phone}`, lockRuns[1]!.runId, true);
    await save(client, 'phone-lock-open', `phone-${phone}`, lockRuns.at(-1)!.runId, true);
    await save(client, 'device-task-sweeper-open', sweeper, undefined, true);
    await client.workflow.getHandle(sweeper).terminate('recorded');
  }, 240_000);
});
