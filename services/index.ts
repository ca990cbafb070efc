import type { Orm } from '../db/orm';
import { createAccounts } from './accounts';
import { createDeviceTasks } from './device-tasks';
import { createDevices } from './devices';
import { createChannels } from './channels';
import { createLedger } from './ledger';
import { createMjTasks } from './midjourney/tasks';
import { createQuotaLog } from './quota-log';
import { createStats } from './stats';
import { createTasks } from './tasks';
import { createTokens } from './tokens';
import { createUsers } from './users';

export type Services = ReturnType<typeof createServices>;

export function createServices(orm: Orm) {
  const ledger = createLedger(orm);
  return {
    ledger,
    users: createUsers(orm, ledger),
    tokens: createTokens(orm),
    channels: createChannels(orm),
    tasks: createTasks(orm, ledger),
    midjourney: createMjTasks(orm, ledger),
    devices: createDevices(orm),
    accounts: createAccounts(orm),
    deviceTasks: createDeviceTasks(orm),
    quotaLog: createQuotaLog(orm),
    stats: createStats(orm),
  };
}
