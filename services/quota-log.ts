import type { FilterQuery } from '@mikro-orm/core';
import { QuotaEntry, type IQuotaEntry, type QuotaEntryKind } from '../db/entities';
import type { Em, Orm } from '../db/orm';
import { pageOf, type Page, type PageRequest } from './paging';

export interface QuotaLogFilter {
  userId?: number;
  kind?: QuotaEntryKind;
  taskRef?: string;
  /** Unix milliseconds, inclusive. */
  from?: number;
  to?: number;
}

/** Reading the quota ledger back: the entries that explain a balance, newest first. */
export function createQuotaLog(orm: Orm) {
  return {
    async list(filter: QuotaLogFilter, page: PageRequest): Promise<Page<IQuotaEntry>> {
      const where: FilterQuery<IQuotaEntry> = {};
      if (filter.userId !== undefined) where.userId = filter.userId;
      if (filter.kind) where.kind = filter.kind;
      if (filter.taskRef) where.taskRef = filter.taskRef;
      if (filter.from !== undefined || filter.to !== undefined) {
        where.createdAt = { ...(filter.from !== undefined ? { $gte: filter.from } : {}), ...(filter.to !== undefined ? { $lte: filter.to } : {}) };
      }
      const em = orm.em.fork() as Em;
      const [items, total] = await Promise.all([
        em.find(QuotaEntry, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset, disableIdentityMap: true }),
        em.count(QuotaEntry, where),
      ]);
      return pageOf(items, total, page);
    },
  };
}

export type QuotaLog = ReturnType<typeof createQuotaLog>;
