import type mysql from 'mysql2/promise';
import type { MidjourneySimulator } from '../../test/simulators/midjourney';
import type { MusicTask, SunoSimulator } from '../../test/simulators/suno';
import type { AppiumRecorder } from './appium-recorder';

/** One verdict of the drill: what was checked, whether it held, and the evidence when it did not. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface GenerationRow {
  id: string;
  status: string;
  upstream: string | null;
  failReason: string;
}

interface LedgerRow {
  taskRef: string;
  kind: string;
  amount: number;
}

export interface Tally {
  suno: Record<string, number>;
  midjourney: Record<string, number>;
  device: Record<string, number>;
  /** Generation tasks failed before any upstream had them (refused starts), refunded. */
  neverSubmitted: number;
}

const FINAL_GENERATION = new Set(['SUCCESS', 'FAILURE']);
const DEVICE_STATUS: Record<number, string> = { 0: 'pending', 1: 'running', 2: 'completed', 3: 'failed' };

async function rows<T>(db: mysql.Pool, sql: string): Promise<T[]> {
  const [result] = await db.query(sql);
  return result as T[];
}

function count<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

const sample = (items: unknown[]) => JSON.stringify(items.slice(0, 5));

/** How long before a worker's SIGKILL a submit it sent may still have been waiting for its answer. */
const MID_SUBMIT_WINDOW_MS = 5_000;
/**
 * The simulators run in the drill's own process and stamp a job when they handle it: a request
 * the worker wrote just before it died can be read after the kill, once the drill's event loop
 * (busy with the load and the kill itself) gets to it.
 */
const READ_LATE_MS = 1_000;

/** One job an upstream simulator holds: the drill prompt it carries and when it was submitted (epoch ms). */
export interface UpstreamJob {
  prompt: string;
  at: number;
  /** The upstream's clock has whole seconds only (Suno-API's submit_time). */
  wholeSeconds: boolean;
}

/**
 * Prompts that reached an upstream more than once, split into those a worker kill explains
 * (two copies, the first sent at most MID_SUBMIT_WINDOW_MS before a SIGKILL, or stamped just
 * after it) and the rest.
 */
export function duplicateSubmits(jobs: UpstreamJob[], workerKills: number[]) {
  const copies = new Map<string, UpstreamJob[]>();
  for (const job of jobs) copies.set(job.prompt, [...(copies.get(job.prompt) ?? []), job]);
  const slack = (job: UpstreamJob) => (job.wholeSeconds ? 1000 : 0);
  const killedMidSubmit = (job: UpstreamJob) =>
    workerKills.some((kill) => job.at >= kill - MID_SUBMIT_WINDOW_MS - slack(job) && job.at <= kill + READ_LATE_MS + slack(job));
  const twice = [...copies].filter(([, c]) => c.length > 1);
  const explained = twice.filter(([, c]) => c.length === 2 && killedMidSubmit(c.reduce((a, b) => (b.at < a.at ? b : a))));
  const unexplained = twice.filter((t) => !explained.includes(t));
  return { twice, explained, unexplained };
}

/**
 * Everything the drill promises, read from the database, the upstream simulators and the
 * Appium recorder rather than from what the APIs answered: every row is checked, including
 * rows of requests whose answer was lost when an API died.
 */
export async function verify(
  db: mysql.Pool,
  sims: { suno: SunoSimulator; midjourney: MidjourneySimulator },
  recorder: AppiumRecorder,
  ledgerAudit: { balanced: boolean; drift: unknown[] },
  workerKills: number[],
  /** When the drill's load began (epoch ms): times in the evidence are counted from it, as the disruption table's are. */
  origin: number,
): Promise<{ checks: Check[]; tally: Tally }> {
  const songs = await rows<GenerationRow>(db, 'select task_id as id, status, upstream_task_id as upstream, fail_reason as failReason from tasks');
  const images = await rows<GenerationRow>(db, 'select mj_id as id, status, upstream_task_id as upstream, fail_reason as failReason from midjourneys');
  const device = await rows<{ id: number; serial: string; status: number; remark: string; startedAt: number | null; endedAt: number | null }>(
    db,
    'select id, serial, status, remark, started_at as startedAt, ended_at as endedAt from device_tasks',
  );
  const ledger = await rows<LedgerRow>(
    db,
    "select task_ref as taskRef, kind, amount from quota_entries where task_ref is not null and kind in ('charge', 'refund')",
  );
  const checks: Check[] = [];

  // 1. Every task final.
  const open = [
    ...songs.filter((r) => !FINAL_GENERATION.has(r.status)).map((r) => `suno ${r.id} ${r.status}`),
    ...images.filter((r) => !FINAL_GENERATION.has(r.status)).map((r) => `mj ${r.id} ${r.status}`),
    ...device.filter((r) => r.status !== 2 && r.status !== 3).map((r) => `device ${r.id} ${DEVICE_STATUS[r.status]}`),
  ];
  checks.push({
    name: 'every task final',
    ok: open.length === 0,
    detail: open.length ? `not final: ${sample(open)}` : `${songs.length + images.length + device.length} tasks`,
  });

  // 2. Outcomes match the upstream: a row that reached an upstream ends as the upstream's job did;
  //    one that never did is a failure (its start was refused) and must have no upstream job.
  const sunoStatus = (upstream: string) => sims.suno.task(upstream)?.status;
  const mjStatus = (upstream: string) => sims.midjourney.task(upstream)?.status;
  const mismatched = [
    ...songs
      .filter((r) => (r.upstream ? sunoStatus(r.upstream) !== r.status : r.status !== 'FAILURE'))
      .map((r) => ({ ...r, upstreamStatus: r.upstream && sunoStatus(r.upstream) })),
    ...images
      .filter((r) => (r.upstream ? mjStatus(r.upstream) !== r.status : r.status !== 'FAILURE'))
      .map((r) => ({ ...r, upstreamStatus: r.upstream && mjStatus(r.upstream) })),
  ];
  const deviceFailed = device.filter((r) => r.status === 3);
  checks.push({
    name: 'outcomes match the upstream',
    ok: mismatched.length === 0 && deviceFailed.length === 0,
    detail:
      mismatched.length || deviceFailed.length
        ? `mismatched: ${sample(mismatched)}; device tasks failed: ${sample(deviceFailed.map((r) => `${r.id}: ${r.remark}`))}`
        : 'every generation task as its upstream job ended; every device script completed',
  });

  // 3. Money: one charge per task, a refund only for a failed one, at most one, for the whole charge.
  const byRef = new Map<string, LedgerRow[]>();
  for (const entry of ledger) byRef.set(entry.taskRef, [...(byRef.get(entry.taskRef) ?? []), entry]);
  const wrongMoney: string[] = [];
  for (const [ref, list] of [...songs.map((r) => [`suno:${r.id}`, r] as const), ...images.map((r) => [`midjourney:${r.id}`, r] as const)]) {
    const entries = byRef.get(ref) ?? [];
    const charges = entries.filter((e) => e.kind === 'charge');
    const refunds = entries.filter((e) => e.kind === 'refund');
    const failed = list.status === 'FAILURE';
    const balanced = !failed || Number(charges[0]?.amount ?? 0) + Number(refunds[0]?.amount ?? 0) === 0;
    if (charges.length !== 1 || refunds.length !== (failed ? 1 : 0) || !balanced) wrongMoney.push(`${ref} ${list.status}: ${JSON.stringify(entries)}`);
  }
  checks.push({
    name: 'each task charged once, refunded at most once',
    ok: wrongMoney.length === 0,
    detail: wrongMoney.length ? sample(wrongMoney) : `${byRef.size} tasks' ledger entries`,
  });
  checks.push({
    name: 'ledger audit clean',
    ok: ledgerAudit.balanced,
    detail: ledgerAudit.balanced ? 'the ledgerAudit workflow found every balance equal to its entries' : `drift: ${sample(ledgerAudit.drift)}`,
  });

  // 4. One script at a time per phone, as the phones saw it and as the rows say.
  const overlaps = recorder.overlaps();
  const rowOverlaps: string[] = [];
  const bySerial = new Map<string, typeof device>();
  for (const r of device.filter((r) => r.startedAt !== null)) bySerial.set(r.serial, [...(bySerial.get(r.serial) ?? []), r]);
  for (const list of bySerial.values()) {
    list.sort((a, b) => Number(a.startedAt) - Number(b.startedAt));
    for (let i = 1; i < list.length; i++) {
      if (Number(list[i]!.startedAt) < Number(list[i - 1]!.endedAt ?? Infinity))
        rowOverlaps.push(`${list[i - 1]!.id} and ${list[i]!.id} on ${list[i]!.serial}`);
    }
  }
  checks.push({
    name: 'no phone ran two scripts at once',
    ok: overlaps.length === 0 && rowOverlaps.length === 0,
    detail:
      overlaps.length || rowOverlaps.length
        ? `sessions: ${sample(overlaps)}; rows: ${sample(rowOverlaps)}`
        : `${recorder.sessions().length} Appium sessions on ${bySerial.size} phones, none overlapping`,
  });

  // 5. No job went upstream twice: every drill prompt is unique, so one prompt is one job. The
  // one exception taskhub cannot rule out: a worker SIGKILLed during the submit request itself
  // (sent, answer not yet recorded) leaves a job no row knows, and the retry submits again; the
  // upstreams take no idempotency key. Such a pair is allowed only when its first copy was
  // submitted just before a worker kill, and the jobs without a task must be those first copies.
  const jobs: UpstreamJob[] = [
    ...(sims.suno.tasks() as MusicTask[]).map((t) => ({ prompt: t.data[0]?.metadata.prompt ?? t.task_id, at: t.submit_time * 1000, wholeSeconds: true })),
    ...sims.midjourney.tasks().map((t) => ({ prompt: t.prompt ?? t.id, at: t.submitTime, wholeSeconds: false })),
  ];
  const { explained, unexplained } = duplicateSubmits(jobs, workerKills);
  const orphanJobs =
    sims.suno.tasks().length - songs.filter((r) => r.upstream).length + (sims.midjourney.tasks().length - images.filter((r) => r.upstream).length);
  const twiceSample = (list: typeof explained) => sample(list.map(([prompt, c]) => [prompt, c.length]));
  const sentAt = (list: typeof explained) =>
    list
      .slice(0, 5)
      .map(([prompt, c]) => `${prompt} at ${c.map((j) => `${((j.at - origin) / 1000).toFixed(1)} s`).join(', ')}`)
      .join('; ');
  checks.push({
    name: 'no duplicate upstream submit',
    ok: unexplained.length === 0 && orphanJobs <= explained.length,
    detail:
      unexplained.length || orphanJobs > explained.length
        ? `submitted more than once: ${twiceSample(unexplained)} (sent ${sentAt(unexplained)}); upstream jobs without a task: ${orphanJobs} (${explained.length} explained by a worker killed mid-submit)`
        : `${sims.suno.tasks().length} Suno and ${sims.midjourney.tasks().length} Midjourney jobs, one per task` +
          (explained.length ? `, but ${twiceSample(explained)}: submitted just before a worker was killed, its first job left without a task` : ''),
  });

  const tally: Tally = {
    suno: count(songs, (r) => r.status),
    midjourney: count(images, (r) => r.status),
    device: count(device, (r) => DEVICE_STATUS[r.status] ?? String(r.status)),
    neverSubmitted: [...songs, ...images].filter((r) => !r.upstream).length,
  };
  return { checks, tally };
}
