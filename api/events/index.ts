import type { Orm } from '../../db/orm';
import type { Config } from '../../lib/config';
import type { Logger } from '../../lib/logger';
import { createChangeFeed } from './change-feed';
import { createEventHub, type EventHub } from './hub';

export type { EventHub } from './hub';

/** One change feed and the streams over it, per API process. */
export function createEvents(orm: Orm, config: Config, log: Logger): EventHub {
  return createEventHub(createChangeFeed(orm, { pollMs: config.events.pollMs, log }), config);
}
