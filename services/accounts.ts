import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Device, DeviceAccount, DeviceTask, type IDeviceAccount } from '../db/entities';
import { DeviceTaskStatus } from '../domain';
import { NotFoundError, ValidationError } from '../lib/errors';
import { pageOf, type Page, type PageRequest } from './paging';

export interface AccountInput {
  username: string;
  /** Serial of the phone the account is logged in on; must be registered. */
  device: string;
  package?: string;
  enabled?: boolean;
}

export type Accounts = ReturnType<typeof createAccounts>;

/** TikTok accounts and the phone each is logged in on (username mode, enable_multi_account). */
export function createAccounts(orm: Orm) {
  const fork = () => orm.em.fork() as Em;

  async function save(input: AccountInput): Promise<{ account: IDeviceAccount; created: boolean }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const em = fork();
      if (!(await em.findOne(Device, { serial: input.device })))
        throw new ValidationError(`device ${input.device} is not registered; register it with POST /api/v1/device first`);
      const now = Date.now();
      const existing = await em.findOne(DeviceAccount, { username: input.username });
      if (existing) {
        const changes = Object.fromEntries(
          Object.entries({ device: input.device, package: input.package, enabled: input.enabled }).filter(([, v]) => v !== undefined),
        );
        em.assign(existing, { ...changes, updatedAt: now });
        await em.flush();
        return { account: existing, created: false };
      }
      try {
        const account = em.create(DeviceAccount, {
          username: input.username,
          device: input.device,
          package: input.package ?? 'com.zhiliaoapp.musically',
          enabled: input.enabled ?? true,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        return { account, created: true };
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException) || attempt > 0) throw err;
      }
    }
    throw new Error('unreachable');
  }

  const byUsernames = (usernames: string[]) => (usernames.length ? fork().find(DeviceAccount, { username: { $in: usernames } }) : Promise.resolve([]));

  async function list(filter: { device?: string; enabled?: boolean }, page: PageRequest): Promise<Page<IDeviceAccount>> {
    const where: FilterQuery<IDeviceAccount> = {};
    if (filter.device) where.device = filter.device;
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    const [items, total] = await fork().findAndCount(DeviceAccount, where, { orderBy: { id: 'asc' }, limit: page.pageSize, offset: page.offset });
    return pageOf(items, total, page);
  }

  async function remove(username: string): Promise<void> {
    const em = fork();
    const unfinished = await em.count(DeviceTask, { username, status: { $in: [DeviceTaskStatus.pending, DeviceTaskStatus.running] } });
    if (unfinished > 0) throw new ValidationError(`account ${username} has ${unfinished} pending or running tasks; stop or delete them first`);
    const deleted = await em.nativeDelete(DeviceAccount, { username });
    if (deleted !== 1) throw new NotFoundError(`account ${username} does not exist`);
  }

  return { save, byUsernames, list, remove };
}
