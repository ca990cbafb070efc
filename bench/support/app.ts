import http from 'node:http';
import { Registry } from 'prom-client';
import { buildApp } from '../../api/app';
import { createEvents } from '../../api/events';
import type { IUser } from '../../db/entities';
import type { Orm } from '../../db/orm';
import type { Config } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import type { Services } from '../../services';
import type { TaskWorkflows } from '../../temporal/task-workflows';

/**
 * The real Koa app over HTTP on 127.0.0.1, at a free port. Without `temporal` it is stubbed: the
 * listing routes never reach it, and a dev server would only add its own load to the machine.
 */
export async function serveApp(
  config: Config,
  orm: Orm,
  services: Services,
  temporal?: { workflows: TaskWorkflows; check(): Promise<void> },
): Promise<{ base: string; close: () => Promise<void> }> {
  const app = buildApp({
    config,
    orm,
    services,
    workflows: temporal?.workflows ?? (null as never),
    log: createLogger('silent'),
    metrics: new Registry(),
    temporal: { check: temporal?.check ?? (async () => {}) },
    events: createEvents(orm, config, createLogger('silent')),
    lifecycle: { shuttingDown: false },
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    // Keep-alive sockets would hold close() open until they time out.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The root user, made the way a fresh install makes it from its admin token. */
export async function rootUser(services: Services, rootToken: string): Promise<IUser> {
  await services.users.ensureRoot(rootToken);
  return services.users.authenticate(rootToken);
}

/** A plain user with a dashboard access token, made the way an admin would. */
export async function seedUser(services: Services, rootToken: string): Promise<{ userId: number; accessToken: string }> {
  const root = await rootUser(services, rootToken);
  const { user, accessToken } = await services.users.create(root, { username: 'bench', password: 'password123' });
  return { userId: user.id, accessToken };
}
