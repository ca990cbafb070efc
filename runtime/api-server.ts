import http from 'node:http';
import { createHttpTerminator } from 'http-terminator';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildApp } from '../api/app';
import { createEvents } from '../api/events';
import type { AppDeps } from '../api/deps';
import type { Orm } from '../db/orm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { Services } from '../services';
import type { TemporalHandle } from '../temporal/connection';
import { createTaskWorkflows } from '../temporal/task-workflows';

export interface ApiServer {
  url: string;
  deps: AppDeps;
  /** Readiness goes 503, new connections are refused, in-flight requests finish (up to the grace time). */
  close(): Promise<void>;
}

export async function startApiServer(config: Config, parts: { orm: Orm; services: Services; log: Logger; temporal: TemporalHandle }): Promise<ApiServer> {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const deps: AppDeps = {
    config,
    orm: parts.orm,
    services: parts.services,
    workflows: createTaskWorkflows(parts.temporal.client, config),
    log: parts.log,
    metrics,
    temporal: { check: parts.temporal.check },
    events: createEvents(parts.orm, config, parts.log),
    lifecycle: { shuttingDown: false },
  };
  const server = http.createServer(buildApp(deps).callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: config.shutdownGraceSeconds * 1000 });
  return {
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    deps,
    async close() {
      deps.lifecycle.shuttingDown = true;
      // Event streams never finish by themselves: end them so draining waits only for real requests.
      await deps.events.close();
      await terminator.terminate();
    },
  };
}
