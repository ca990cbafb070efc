/**
 * The API as a process of its own, for benchmarks that load it from another process: the real
 * Koa app, services and MikroORM pool over HTTP on 127.0.0.1 (Temporal stubbed: the listings never
 * reach it). Started by `startApiProcess` with an IPC channel; it answers with its URL and exits
 * when told to, or as soon as its parent goes away, so it cannot outlive a benchmark.
 */
import { createOrm } from '../../db/orm';
import { loadConfig } from '../../lib/config';
import { createServices } from '../../services';
import { serveApp } from './app';
import { exitWithParent, forkUntilReady } from './child';

export interface ApiProcess {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** Forks this file with `env` (DATABASE_URL…) and `execArgv` (e.g. --cpu-prof); bounded wait for its URL. */
export async function startApiProcess(env: Record<string, string>, execArgv: string[] = []): Promise<ApiProcess> {
  const child = await forkUntilReady(__filename, { name: 'the API process', env, execArgv, readyWithinMs: 60_000, stopMessage: 'stop', killAfterMs: 15_000 });
  return { base: String((child.ready as { base: string }).base), pid: child.pid, stop: child.stop };
}

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...process.env });
  const orm = await createOrm(config.database);
  const services = createServices(orm);
  const app = await serveApp(config, orm, services);
  const stop = async () => {
    await app.close();
    await orm.close(true);
    process.exit(0);
  };
  process.on('message', (m) => m === 'stop' && void stop());
  exitWithParent(stop);
  process.send!({ base: app.base });
}

if (require.main === module && process.send) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
