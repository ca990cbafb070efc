/** Percentile by nearest rank over a copy of the samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (samples: number[]) => percentile(samples, 50);

/**
 * Runs `task` `total` times with `concurrency` in flight; returns each call's duration in ms.
 * With `budgetMs`, no call starts once that long has passed and `cut` says so: a slow case then
 * still reports what it managed instead of holding the whole run.
 */
export async function measureConcurrent(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
  budgetMs = Infinity,
): Promise<{ ms: number[]; wallMs: number; cut: boolean }> {
  const ms: number[] = [];
  let next = 0;
  let cut = false;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        if (performance.now() - started > budgetMs) {
          cut = true;
          return;
        }
        const i = next++;
        const t0 = performance.now();
        await task(i);
        ms.push(performance.now() - t0);
      }
    }),
  );
  return { ms, wallMs: performance.now() - started, cut };
}

/** A plain-text table: one header row, aligned columns. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\n${title}\n${line(cells[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of cells.slice(1)) console.log(line(r));
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
