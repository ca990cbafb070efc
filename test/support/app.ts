import type Koa from 'koa';
import { Registry } from 'prom-client';
import { buildApp } from '../../api/app';
import { createEvents } from '../../api/events';
import type { AppDeps } from '../../api/deps';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createServices } from '../../services';
import { connectTemporal, type TemporalHandle } from '../../temporal/connection';
import { createTaskWorkflows } from '../../temporal/task-workflows';
import { createTestDatabase, type DbKind, type TestDatabase } from './databases';
import { temporalAddress } from './temporal';

export interface TestApp {
  db: TestDatabase;
  deps: AppDeps;
  app: Koa;
  /** The root admin's access token. */
  rootToken: string;
  close(): Promise<void>;
}

/** The real app over a real database and the suite's Temporal dev server, not listening (supertest drives it). */
export async function createTestApp(kind: DbKind, env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', BODY_LIMIT: '64kb', TEMPORAL_TASK_QUEUE: `test-${Math.random().toString(36).slice(2, 10)}`, ...env });
  const services = createServices(db.orm);
  const rootToken = `root-token-${kind}-${Math.random().toString(36).slice(2)}`;
  await services.users.ensureRoot(rootToken);
  const temporal: TemporalHandle = await connectTemporal(temporalAddress(), 'default');
  const log = createLogger('silent');
  const deps: AppDeps = {
    config: { ...config, database: db.config },
    orm: db.orm,
    services,
    workflows: createTaskWorkflows(temporal.client, config),
    log,
    metrics: new Registry(),
    temporal: { check: temporal.check },
    events: createEvents(db.orm, config, log),
    lifecycle: { shuttingDown: false },
  };
  return {
    db,
    deps,
    app: buildApp(deps),
    rootToken,
    async close() {
      await deps.events.close();
      await temporal.close();
      await db.destroy();
    },
  };
}
