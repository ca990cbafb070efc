import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnWatched } from '../../lib/watched';
import { startedGroup } from './groups';
import { waitFor } from './wait';

const run = promisify(execFile);

/** Debian's mariadb-server puts the server here; MARIADBD names another. */
const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';

export interface PrivateMariaDb {
  port: number;
  /** `mysql://root@127.0.0.1:<port>` (no database). */
  url: string;
  /** Stops the server cleanly (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its data directory. */
  close(): Promise<void>;
}

/**
 * A MariaDB server of the drill's own: its own data directory under `baseDir`, its own port
 * on 127.0.0.1, root without a password. The machine's MariaDB on :3306 is shared with
 * every other test run here and with CI, so restarting *it* would break them; this one the
 * drill may stop and start as it likes.
 */
export async function startPrivateMariaDb(baseDir: string, port: number): Promise<PrivateMariaDb> {
  const dataDir = path.join(baseDir, 'mariadb');
  fs.mkdirSync(dataDir, { recursive: true });
  // --skip-name-resolve makes the root accounts 127.0.0.1 and ::1 rather than a hostname.
  await run(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
    {
      timeout: 60_000,
    },
  );
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const args = [
    '--no-defaults',
    ...asRoot,
    `--datadir=${dataDir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${path.join(baseDir, 'mariadb.sock')}`,
    `--pid-file=${path.join(baseDir, 'mariadb.pid')}`,
    `--log-error=${path.join(baseDir, 'mariadb.err')}`,
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=64M',
    '--max-connections=500',
  ];
  let server: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const url = `mysql://root@127.0.0.1:${port}`;
  const db: PrivateMariaDb = {
    port,
    url,
    async start() {
      server = spawnWatched(MARIADBD, args, { output: 'ignore' });
      startedGroup(server.pid);
      exited = new Promise((resolve) => server!.once('exit', () => resolve()));
      await waitFor(`MariaDB on 127.0.0.1:${port}`, 60_000, 200, async () => {
        if (server!.exitCode !== null) throw new Error(`mariadbd exited with ${server!.exitCode}; see ${path.join(baseDir, 'mariadb.err')}`);
        return ping(port);
      });
    },
    async stop() {
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await exited;
    },
    async close() {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await db.start();
  return db;
}

async function ping(port: number): Promise<boolean> {
  try {
    await run('mariadb-admin', ['--no-defaults', '--protocol=tcp', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', 'ping'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
