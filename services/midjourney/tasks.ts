import { randomInt } from 'node:crypto';
import type { Em, Orm } from '../../db/orm';
import { MjTask, type IMjTask } from '../../db/entities';
import { generationRef, MJ_IN_FLIGHT, nowSeconds } from '../../domain';
import { generationRows } from '../generation/rows';
import { findInChunks } from '../in-chunks';
import type { Ledger } from '../ledger';
import type { CounterTable } from '../listing/counts';
import { planPage, readPage, type ListingFilter, type ListingTable } from '../listing/page';
import { rowMapper } from '../listing/rows';
import { pageOf, type Page, type PageRequest } from '../paging';

export interface NewMjTask {
  userId: number;
  tokenId: number | null;
  action: string;
  parentMjId: string | null;
  /** Child actions run on their parent's channel; 0 lets the workflow choose. */
  channelId: number;
  prompt: string;
  request: { route: string; body: Record<string, unknown>; notify?: { url: string; keyDigest: string } };
  /** Quota held now, in the insert's transaction; given back if the upstream refuses the task. */
  quota: number;
  idempotencyKey?: string;
}

export interface MjImageSource {
  imageUrl: string;
  status: string;
  userId: number;
  /** The task's channel's base URL; null once the channel is gone. */
  channelBaseUrl: string | null;
}

export interface MjFilter {
  userId?: number;
  channelId?: number;
  mjId?: string;
  /** Milliseconds, on submit_time, inclusive. */
  startTimestamp?: number;
  endTimestamp?: number;
}

export type MjPatch = Partial<
  Pick<
    IMjTask,
    | 'upstreamTaskId'
    | 'code'
    | 'channelId'
    | 'prompt'
    | 'promptEn'
    | 'description'
    | 'state'
    | 'submitTime'
    | 'startTime'
    | 'finishTime'
    | 'imageUrl'
    | 'videoUrl'
    | 'videoUrls'
    | 'status'
    | 'progress'
    | 'failReason'
    | 'quota'
    | 'buttons'
    | 'properties'
  >
>;

export type MjTasks = ReturnType<typeof createMjTasks>;
/** A drawing-log row: everything but the upstream request, which the log never shows. */
export type MjListed = Omit<IMjTask, 'request'>;

export const mjTaskRef = (mjId: string) => generationRef('midjourney', mjId);
/** Shaped like midjourney-proxy's ids (a millisecond clock and a few digits), so clients that assume digits keep working. */
export const newMjId = () => `${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;

/** What the Midjourney poller compares with the upstream's report. */
const POLLED_FIELDS = ['progress', 'imageUrl', 'buttons', 'failReason', 'videoUrl', 'promptEn'] as const;

/** The cells `mj_counts` keeps: per owner (and 0 for everyone), per action, status and channel. */
export const MJ_COUNTS: CounterTable<IMjTask> & { properties: (keyof IMjTask & string)[] } = {
  table: 'mj_counts',
  owner: { column: 'user_id', of: (r) => r.userId },
  facets: { action: (r) => r.action, status: (r) => r.status, channel_id: (r) => r.channelId },
  properties: ['userId', 'action', 'status', 'channelId'],
  // The drawing log filters by owner and channel only.
  blocks: { listing: 'midjourneys', owner: (r) => r.userId, facets: { channel_id: (r) => r.channelId } },
};

/** new-api's drawing log (`midjourneys`): one row per Midjourney task, the listing projection of its workflow. */
export function createMjTasks(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;
  const rows = generationRows<IMjTask, 'mjId'>(orm, ledger, {
    entity: MjTask,
    key: 'mjId',
    inFlight: MJ_IN_FLIGHT,
    ref: (row) => mjTaskRef(row.mjId),
    counts: MJ_COUNTS,
    now: Date.now,
  });
  // The drawing log never shows the request (it may carry base64 images): leave it in the table.
  const mapper = rowMapper<MjListed>(orm, MjTask, ['request']);
  const listing: ListingTable<MjListed> = {
    table: 'midjourneys',
    ...mapper,
    walks: [
      ['user_id', 'id'],
      ['channel_id', 'id'],
    ],
    ranges: [['user_id', 'submit_time'], ['submit_time']],
    unique: ['mj_id'],
    counts: { table: MJ_COUNTS.table, owner: 'user_id', counted: Object.keys(MJ_COUNTS.facets) },
    blocks: { owner: 'user_id', facets: ['channel_id'] },
  };

  /** Inserts the task and holds its price atomically; a repeated Idempotency-Key returns the first task. */
  const create = (input: NewMjTask): Promise<{ task: IMjTask; created: boolean }> =>
    rows.createCharged(
      {
        mjId: newMjId(),
        userId: input.userId,
        tokenId: input.tokenId,
        channelId: input.channelId,
        action: input.action,
        parentMjId: input.parentMjId,
        prompt: input.prompt,
        status: 'NOT_START',
        quota: input.quota,
        request: input.request,
        submitTime: Date.now(),
        idempotencyKey: input.idempotencyKey ?? null,
      },
      { amount: input.quota, remark: `midjourney ${input.action}` },
    );

  /** The caller's own tasks among `mjIds` (any number), in the order asked; others' ids look like unknown ones. */
  async function findOwned(userId: number, mjIds: string[]): Promise<IMjTask[]> {
    const found = await findInChunks(mjIds, (chunk) => fork().find(MjTask, { userId, mjId: { $in: chunk } }));
    const byId = new Map(found.map((r) => [r.mjId, r]));
    return [...new Set(mjIds)].flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** A page newest first; totals of the owner and channel filters come from `mj_counts`. */
  function listingFilter(filter: MjFilter): ListingFilter {
    const equals: ListingFilter['equals'] = {};
    if (filter.userId !== undefined) equals.user_id = filter.userId;
    if (filter.channelId !== undefined) equals.channel_id = filter.channelId;
    if (filter.mjId) equals.mj_id = filter.mjId;
    const range =
      filter.startTimestamp !== undefined || filter.endTimestamp !== undefined
        ? { column: 'submit_time', gte: filter.startTimestamp, lte: filter.endTimestamp }
        : undefined;
    return { equals, range };
  }

  async function list(filter: MjFilter, page: PageRequest): Promise<Page<MjListed>> {
    const { items, total } = await readPage(fork(), listing, listingFilter(filter), page.offset, page.pageSize);
    return pageOf(items, total, page);
  }

  /** The SQL list() sends for this page (benchmarks compare the endpoint with it). */
  const listSql = (filter: MjFilter, page: PageRequest) => planPage(fork(), listing, listingFilter(filter), page.offset, page.pageSize);

  /**
   * What `GET /mj/image/:id` needs, in one indexed statement: the image route is a byte pipe, and
   * hydrating the task and its channel through the unit of work cost more than a 1 MiB image's copy.
   */
  async function imageSource(mjId: string): Promise<MjImageSource | null> {
    const [row] = await fork()
      .getConnection()
      .execute<{ image_url: string; status: string; user_id: number; base_url: string | null }[]>(
        'select m.image_url, m.status, m.user_id, c.base_url from midjourneys m left join channels c on c.id = m.channel_id where m.mj_id = ? limit 1',
        [mjId],
      );
    return row ? { imageUrl: row.image_url, status: row.status, userId: Number(row.user_id), channelBaseUrl: row.base_url ?? null } : null;
  }

  /** Tasks never handed to an upstream after `olderThanSeconds`: their workflow may not exist. */
  const stranded = (olderThanSeconds: number, limit: number) =>
    fork().find(
      MjTask,
      { status: 'NOT_START', upstreamTaskId: null, code: 0, createdAt: { $lt: nowSeconds() - olderThanSeconds } },
      { limit, orderBy: { id: 'asc' } },
    );

  return {
    create,
    byMjId: rows.byKey,
    imageSource,
    findOwned,
    list,
    listSql,
    apply: (mjId: string, seq: number, patch: MjPatch) => rows.apply(mjId, seq, patch),
    inFlightByChannel: (limitPerChannel: number) => rows.inFlightByChannel({}, [...POLLED_FIELDS], limitPerChannel),
    markPolled: rows.markPolled,
    stranded,
    failAndRefund: rows.failAndRefund,
    abandon: rows.abandon,
  };
}
