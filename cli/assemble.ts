import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHttpTerminator } from 'http-terminator';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildApp } from '../api/app';
import { createEvents } from '../api/events';
import type { AppDeps } from '../api/deps';
import { createOrm, prepareSchema, type Orm } from '../db/orm';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import { createServices, type Services } from '../services';
import type { TemporalHandle } from '../temporal/connection';

/** The pieces every taskhub process shares: one ORM and the services over it. */
export async function openDatabase(config: Config, log: Logger, migrate: boolean): Promise<{ orm: Orm; services: Services }> {
  const orm = await createOrm(config.database);
  if (migrate) await prepareSchema(orm);
  log.info({ event: 'database.ready', database: config.database.kind }, 'database connected');
  return { orm, services: createServices(orm) };
}

/**
 * Makes sure the root admin exists. A generated token is shown once and kept in
 * DATA_DIR/admin-token (readable by the owner only) so a local operator can
 * find it again; with ADMIN_TOKEN set nothing is written.
 */
export async function ensureRootAdmin(config: Config, services: Services, log: Logger): Promise<{ token?: string; file?: string }> {
  const root = await services.users.ensureRoot(config.adminToken);
  const file = path.join(config.dataDir, 'admin-token');
  if (root.created && root.generated && root.accessToken) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `${root.accessToken}\n`, { mode: 0o600 });
    log.warn({ event: 'admin.created', file }, 'root admin created with a generated access token (shown once by the launcher; also saved to the file)');
    return { token: root.accessToken, file };
  }
  if (root.created) log.info({ event: 'admin.created' }, 'root admin created with ADMIN_TOKEN');
  return fs.existsSync(file) ? { file } : {};
}

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
    log: parts.log,
    metrics,
    temporal: { client: parts.temporal.client, check: parts.temporal.check },
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

/** Runs shutdown steps in order, once, logging each; a failing step does not skip the rest. */
export function shutdownOnSignals(log: Logger, steps: [string, () => Promise<unknown>][]): Promise<void> {
  let started: Promise<void> | undefined;
  const run = (signal: string) => {
    started ??= (async () => {
      log.info({ event: 'shutdown.start', signal }, 'shutting down');
      for (const [name, step] of steps) {
        try {
          await step();
          log.info({ event: 'shutdown.step', step: name }, `${name}: done`);
        } catch (err) {
          log.error({ event: 'shutdown.step_failed', step: name, err }, `${name}: failed`);
        }
      }
      log.info({ event: 'shutdown.done' }, 'stopped');
    })();
    return started;
  };
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void run(signal).then(resolve));
  });
}
