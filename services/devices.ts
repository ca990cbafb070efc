import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Device, DeviceTask, type IDevice } from '../db/entities';
import { DeviceTaskStatus } from '../domain';
import { LicenseError, NotFoundError, ValidationError } from '../lib/errors';
import { pageOf, type Page, type PageRequest } from './paging';

export interface DeviceInput {
  serial: string;
  name?: string;
  capabilities?: Record<string, unknown> | null;
  enabled?: boolean;
}

export type Devices = ReturnType<typeof createDevices>;

const UNFINISHED = [DeviceTaskStatus.pending, DeviceTaskStatus.running];

/** Phones tasks run on. A serial is registered once; saving it again updates it. */
export function createDevices(orm: Orm) {
  const fork = () => orm.em.fork() as Em;

  /**
   * Registers a phone or updates the one with this serial. Only a new phone counts
   * against the plan's device limit.
   */
  async function save(input: DeviceInput, deviceLimit: number): Promise<{ device: IDevice; created: boolean }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const em = fork();
      const now = Date.now();
      const existing = await em.findOne(Device, { serial: input.serial });
      if (existing) {
        const changes = Object.fromEntries(
          Object.entries({ name: input.name, capabilities: input.capabilities, enabled: input.enabled }).filter(([, v]) => v !== undefined),
        );
        em.assign(existing, { ...changes, updatedAt: now });
        await em.flush();
        return { device: existing, created: false };
      }
      const count = await em.count(Device, {});
      if (count >= deviceLimit) throw new LicenseError(`device limit reached: the plan allows ${deviceLimit} devices and ${count} are registered`);
      try {
        const device = em.create(Device, {
          serial: input.serial,
          name: input.name ?? '',
          capabilities: input.capabilities ?? null,
          enabled: input.enabled ?? true,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        return { device, created: true };
      } catch (err) {
        // Registered concurrently: save again, this time as an update.
        if (!(err instanceof UniqueConstraintViolationException) || attempt > 0) throw err;
      }
    }
    throw new Error('unreachable');
  }

  async function get(serial: string): Promise<IDevice> {
    const device = await fork().findOne(Device, { serial });
    if (!device) throw new NotFoundError(`device ${serial} is not registered`);
    return device;
  }

  const bySerials = (serials: string[]) => (serials.length ? fork().find(Device, { serial: { $in: serials } }) : Promise.resolve([]));

  async function list(filter: { enabled?: boolean }, page: PageRequest): Promise<Page<IDevice>> {
    const where: FilterQuery<IDevice> = {};
    if (filter.enabled !== undefined) where.enabled = filter.enabled;
    const [items, total] = await fork().findAndCount(Device, where, { orderBy: { id: 'asc' }, limit: page.pageSize, offset: page.offset });
    return pageOf(items, total, page);
  }

  /** A phone with pending or running tasks stays: stop or delete those first. */
  async function remove(serial: string): Promise<void> {
    const em = fork();
    const unfinished = await em.count(DeviceTask, { serial, status: { $in: UNFINISHED } });
    if (unfinished > 0) throw new ValidationError(`device ${serial} has ${unfinished} pending or running tasks; stop or delete them first`);
    const deleted = await em.nativeDelete(Device, { serial });
    if (deleted !== 1) throw new NotFoundError(`device ${serial} is not registered`);
  }

  return { save, get, bySerials, list, remove };
}
