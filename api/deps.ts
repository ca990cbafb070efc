import type { Registry } from 'prom-client';
import type { Orm } from '../db/orm';
import type { Config } from '../lib/config';
import type { EventHub } from './events/hub';
import type { Logger } from '../lib/logger';
import type { Services } from '../services';
import type { TaskWorkflows } from '../temporal/task-workflows';

/** Everything a route can reach, passed in by whoever builds the app. */
export interface AppDeps {
  config: Config;
  orm: Orm;
  services: Services;
  /** Starting, signalling and asking task workflows: the API's only way to Temporal besides the health check. */
  workflows: TaskWorkflows;
  log: Logger;
  metrics: Registry;
  temporal: {
    /** Throws when the Temporal frontend does not answer. */
    check(): Promise<void>;
  };
  /** This process's event streams (GET /api/events) over its one change feed. */
  events: EventHub;
  /** Flipped by the shutdown sequence so load balancers stop sending traffic first. */
  lifecycle: { shuttingDown: boolean };
}
