export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function pageRequest(page: number, pageSize: number): PageRequest {
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function pageOf<T>(items: T[], total: number, req: PageRequest): Page<T> {
  return { items, total, page: req.page, pageSize: req.pageSize };
}

/** `column BETWEEN start AND end`, either end optional; undefined when neither is given. */
export function rangeOf(start: number | undefined, end: number | undefined): { $gte?: number; $lte?: number } | undefined {
  if (start === undefined && end === undefined) return undefined;
  return { ...(start !== undefined ? { $gte: start } : {}), ...(end !== undefined ? { $lte: end } : {}) };
}

/**
 * Substring pattern for keyword filters. `%` and `_` in the keyword keep their
 * LIKE meaning: escaping is not portable (SQLite has no default escape
 * character) and a broader search result is harmless here.
 */
export function containsPattern(keyword: string): string {
  return `%${keyword}%`;
}
