import type { Check, Tally } from './checks';

/** One disruption of the drill and what it cost. */
export interface Disruption {
  what: string;
  /** ms after the load began. */
  at: number;
  /** How long the part was gone (down until its replacement was started). */
  downMs: number;
  /** From the disruption until the system answered normally again (every API healthy, the replacement polling). */
  recoveredMs: number;
  /** API attempts refused (503, connection refused or broken) from the disruption until recovery. */
  refused: number;
}

export interface DrillFigures {
  shape: string;
  apis: number;
  workers: number;
  tally: Tally;
  disruptions: Disruption[];
  /** Every API attempt the load made, and how many were refused, over the whole drill. */
  attempts: number;
  refused: number;
  /** Device-task requests whose connection broke mid-request (no idempotency key, so not sent again). */
  ambiguous: number;
  /** From the end of the last disruption until every task was final. */
  settledMs: number;
  totalMs: number;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const statuses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none';

/** The drill's printed result: the load, each disruption, and every check. */
export function renderReport(f: DrillFigures, checks: Check[]): string {
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  const tasks = table(
    ['tasks', 'count', 'final states'],
    [
      ['Suno', String(total(f.tally.suno)), statuses(f.tally.suno)],
      ['Midjourney', String(total(f.tally.midjourney)), statuses(f.tally.midjourney)],
      ['device', String(total(f.tally.device)), statuses(f.tally.device)],
      ['never reached an upstream (refunded)', String(f.tally.neverSubmitted), ''],
    ],
  );
  const events = table(
    ['disruption', 'at', 'down', 'time to recover', 'requests refused'],
    f.disruptions.map((d) => [d.what, s(d.at), s(d.downMs), s(d.recoveredMs), String(d.refused)]),
  );
  const kills = f.disruptions.filter((d) => d.what.startsWith('SIGKILL')).length;
  const restarts = f.disruptions.length;
  const verdicts = table(
    ['check', 'result', 'detail'],
    checks.map((c) => [c.name, c.ok ? 'ok' : 'FAILED', c.detail]),
  );
  return [
    `Scale-out drill (${f.shape}): ${f.apis} API and ${f.workers} worker processes, one Temporal dev server, one private MariaDB`,
    '',
    tasks,
    '',
    events,
    '',
    `kills: ${kills}; restarts: ${restarts} (every killed process, MariaDB and Temporal restarted once)`,
    `API attempts: ${f.attempts}, refused: ${f.refused}, broken mid-request and not sent again: ${f.ambiguous}; ` +
      `all tasks final ${s(f.settledMs)} after the last disruption; drill ${s(f.totalMs)} in all`,
    '',
    verdicts,
  ].join('\n');
}
