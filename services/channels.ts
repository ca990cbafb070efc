import type { FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Channel, ChannelStatus, type IChannel } from '../db/entities';
import { NotFoundError } from '../lib/errors';
import { nowSeconds } from '../domain';
import { containsPattern, pageOf, type Page, type PageRequest } from './paging';

export interface ChannelInput {
  type: number;
  name: string;
  key: string;
  baseUrl: string;
  status?: number;
  priority?: number;
  weight?: number;
}

export interface ChannelFilter {
  type?: number;
  status?: number;
  keyword?: string;
}

export type Channels = ReturnType<typeof createChannels>;

/** Upstream accounts tasks are relayed to (Suno API, Midjourney proxies). */
export function createChannels(orm: Orm) {
  const fork = () => orm.em.fork() as Em;

  async function create(input: ChannelInput): Promise<IChannel> {
    const em = fork();
    const now = nowSeconds();
    const channel = em.create(Channel, {
      ...input,
      baseUrl: input.baseUrl.replace(/\/+$/, ''),
      status: input.status ?? ChannelStatus.enabled,
      priority: input.priority ?? 0,
      weight: input.weight ?? 0,
      createdTime: now,
      updatedTime: now,
    });
    await em.flush();
    return channel;
  }

  async function get(id: number): Promise<IChannel> {
    const channel = await fork().findOne(Channel, { id });
    if (!channel) throw new NotFoundError('channel not found');
    return channel;
  }

  async function list(filter: ChannelFilter, page: PageRequest): Promise<Page<IChannel>> {
    const where: FilterQuery<IChannel> = {};
    if (filter.type !== undefined) where.type = filter.type;
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.keyword) where.name = { $like: containsPattern(filter.keyword) };
    const [items, total] = await fork().findAndCount(Channel, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return pageOf(items, total, page);
  }

  async function update(id: number, patch: Partial<ChannelInput>): Promise<IChannel> {
    const em = fork();
    const channel = await em.findOne(Channel, { id });
    if (!channel) throw new NotFoundError('channel not found');
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<ChannelInput>;
    if (changes.baseUrl) changes.baseUrl = changes.baseUrl.replace(/\/+$/, '');
    em.assign(channel, { ...changes, updatedTime: nowSeconds() });
    await em.flush();
    return channel;
  }

  async function remove(id: number): Promise<void> {
    const deleted = await fork().nativeDelete(Channel, { id });
    if (deleted !== 1) throw new NotFoundError('channel not found');
  }

  /** Enabled → auto-disabled (a channel an admin disabled stays as it is); true if it changed. */
  async function autoDisable(id: number): Promise<boolean> {
    return (await fork().nativeUpdate(Channel, { id, status: ChannelStatus.enabled }, { status: ChannelStatus.autoDisabled, updatedTime: nowSeconds() })) === 1;
  }

  /** Enabled channels of the given types, best first: priority, then weight. */
  async function usable(types: readonly number[]): Promise<IChannel[]> {
    return fork().find(Channel, { type: { $in: [...types] }, status: ChannelStatus.enabled }, { orderBy: { priority: 'desc', weight: 'desc', id: 'asc' } });
  }

  return { create, get, list, update, remove, autoDisable, usable };
}
