import { Channel } from './channel';
import { QuotaEntry } from './quota-entry';
import { Token } from './token';
import { User } from './user';

export * from './channel';
export * from './quota-entry';
export * from './token';
export * from './user';

export const ENTITIES = [User, Token, Channel, QuotaEntry];
