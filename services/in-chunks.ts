/**
 * Ids per `IN (...)` list. A client may ask for as many tasks as its body limit allows
 * (new-api sets no count limit); one statement with 10,000 placeholders is slow to plan
 * and nears SQLite's parameter limit, so large lists run as several queries.
 */
export const IDS_PER_QUERY = 500;

/** Runs `query` over `ids` (deduplicated) a chunk at a time, one after another, and joins the rows. */
export async function findInChunks<R>(ids: readonly string[], query: (chunk: string[]) => Promise<R[]>, size = IDS_PER_QUERY): Promise<R[]> {
  const unique = [...new Set(ids)];
  const rows: R[] = [];
  for (let i = 0; i < unique.length; i += size) rows.push(...(await query(unique.slice(i, i + size))));
  return rows;
}
