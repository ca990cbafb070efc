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

/**
 * Substring pattern for keyword filters. `%` and `_` in the keyword keep their
 * LIKE meaning: escaping is not portable (SQLite has no default escape
 * character) and a broader search result is harmless here.
 */
export function containsPattern(keyword: string): string {
  return `%${keyword}%`;
}
