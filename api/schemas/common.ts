import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

/** new-api paging: `p` from 1, `page_size` default 10, at most 100. */
export const pageQuery = z.object({
  p: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(10),
});

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), page_size: z.number().int() });
}

export function toWirePage<T, W>(page: { items: T[]; total: number; page: number; pageSize: number }, map: (item: T) => W) {
  return { items: page.items.map(map), total: page.total, page: page.page, page_size: page.pageSize };
}

/** Quota amounts are integers in quota units (500,000 per USD, as new-api). */
export const quotaAmount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
