import type mysql from 'mysql2/promise';
import type { Stage } from './stages';
import { median, percentile, printTable } from './stats';

/** The API under test and the dashboard token its requests carry. */
export interface Api {
  base: string;
  token: string;
  timeoutMs: number;
}

/** The two statements list() runs for an unfiltered page, in parallel: the page, and the counters its total comes from. */
export interface ListingSql {
  page: string;
  total: string;
}

/**
 * Fails loudly unless the endpoint answers 200 with the expected total and page size, newest
 * first, each item passing `valid`: a benchmark of wrong answers would measure nothing.
 */
export async function checkListing(
  api: Api,
  path: string,
  expected: { total: number; items: number; valid?: (item: Record<string, unknown>) => boolean },
): Promise<void> {
  const { total, items, valid = () => true } = expected;
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token}` }, signal: AbortSignal.timeout(api.timeoutMs) });
  const text = await res.text();
  const body = JSON.parse(text) as { success?: boolean; data?: { total: number; items: ({ id: number } & Record<string, unknown>)[] } };
  const list = body.data?.items ?? [];
  const ids = list.map((i) => i.id);
  const newestFirst = ids.every((id, i) => i === 0 || id < ids[i - 1]);
  if (res.status !== 200 || !body.success || body.data?.total !== total || ids.length !== items || !newestFirst || !list.every(valid)) {
    throw new Error(`GET ${path}: expected 200, total ${total}, ${items} items newest first; got ${res.status} ${text.slice(0, 300)}`);
  }
}

export function httpGet(api: Api, path: string): () => Promise<void> {
  return async () => {
    const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${api.token}` }, signal: AbortSignal.timeout(api.timeoutMs) });
    const body = await res.arrayBuffer(); // read it all, as a client would, and free the keep-alive socket
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${Buffer.from(body).toString('utf8', 0, 300)}`);
  };
}

/** What list() does for an unfiltered page: page query and counter read in parallel, total summed over the counter rows. */
export async function directPage(pool: mysql.Pool, sql: ListingSql, userId: number, rows: number, timeoutMs: number): Promise<void> {
  const [[items], [counts]] = await Promise.all([
    pool.query<mysql.RowDataPacket[]>({ sql: sql.page, values: [userId], timeout: timeoutMs }),
    pool.query<mysql.RowDataPacket[]>({ sql: sql.total, values: [userId], timeout: timeoutMs }),
  ]);
  const total = counts.reduce((sum, r) => sum + Number(r.total), 0);
  if (items.length !== 10 || total !== rows) throw new Error(`direct page: ${items.length} items, total ${total}`);
}

/** The results table, each median against the direct-SQL baseline in row 2, and what that baseline sends. */
export function printListing(title: string, stages: Stage[], sql: ListingSql): void {
  const directMedian = median(stages[1].ms);
  printTable(
    title,
    ['case', 'requests', 'clients', 'median ms', 'p99 ms', 'req/s', 'median / direct'],
    stages.map((s) => [
      s.label,
      String(s.ms.length),
      String(s.clients),
      median(s.ms),
      percentile(s.ms, 99),
      s.ms.length / (s.wallMs / 1000),
      `${(median(s.ms) / directMedian).toFixed(2)}x`,
    ]),
  );
  console.log(`\nDirect SQL (row 2, both statements in parallel per request as list() does):\n  ${sql.page}\n  ${sql.total}`);
  console.log(`Row 2 leaves out the endpoint's access-token lookup (select from users by digest), HTTP, hydration and JSON.`);
}
