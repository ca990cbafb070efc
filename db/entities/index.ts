import { Channel } from './channel';
import { Device, DeviceAccount, DeviceTask, DeviceTaskCount } from './device';
import { ListingBlock } from './listing-block';
import { MjCount, MjTask } from './midjourney';
import { QuotaEntry } from './quota-entry';
import { Task, TaskCount } from './task';
import { Token } from './token';
import { User } from './user';

export * from './channel';
export * from './device';
export * from './listing-block';
export * from './midjourney';
export * from './quota-entry';
export * from './task';
export * from './token';
export * from './user';

export const ENTITIES = [User, Token, Channel, QuotaEntry, Task, TaskCount, MjTask, MjCount, Device, DeviceAccount, DeviceTask, DeviceTaskCount, ListingBlock];
