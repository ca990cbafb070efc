/** docker-compose.yml: images, the MySQL store, and the taskhub configuration contract. */

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../lib/config';
import {
  ROOT,
  interpolate,
  envOf,
  argv,
  hostPathFor,
  imageRef,
  raw,
  PROD_ENV,
  compose,
  services,
  serviceNames,
  TASKHUB_SERVICES,
  LONG_RUNNING_TASKHUB,
} from './support';

describe('docker-compose.yml: images', () => {
  it('pins every pulled image to a version tag (no latest, no untagged)', () => {
    for (const name of serviceNames.filter((n) => !TASKHUB_SERVICES.includes(n))) {
      const image = services[name].image;
      expect({ name, image }).toEqual({ name, image: expect.any(String) });
      const { tag, digest } = imageRef(image!);
      expect({ name, pinned: Boolean(digest) || /^\d+(\.\d+)*([.-][\w.-]+)?$/.test(tag ?? '') }).toEqual({ name, pinned: true });
    }
  });

  it('runs the Temporal server and both admin-tools steps from the same Temporal release', () => {
    const tags = ['temporal', 'temporal-admin-tools', 'temporal-setup'].map((n) => imageRef(services[n].image!));
    expect(tags.map((t) => t.repo)).toEqual(['temporalio/server', 'temporalio/admin-tools', 'temporalio/admin-tools']);
    expect(tags[0].tag).toMatch(/^1\.(29|3[01])\.\d+$/);
    expect(new Set(tags.map((t) => t.tag)).size).toBe(1);
    expect(imageRef(services['temporal-ui'].image!).repo).toBe('temporalio/ui');
  });

  it('builds every taskhub service from the repo Dockerfile into one tagged image', () => {
    expect(TASKHUB_SERVICES.sort()).toEqual(['taskhub-api', 'taskhub-migrate', 'taskhub-worker']);
    const images = new Set(TASKHUB_SERVICES.map((n) => services[n].image));
    expect(images.size).toBe(1);
    const { repo, tag } = imageRef([...images][0]!);
    expect(repo).toBe('taskhub');
    expect(tag).toBeTruthy();
    expect(tag).not.toBe('latest');
    for (const name of TASKHUB_SERVICES) {
      const build = services[name].build as { context?: string; dockerfile?: string };
      expect(path.resolve(ROOT, build.context ?? '.', build.dockerfile ?? 'Dockerfile')).toBe(path.join(ROOT, 'Dockerfile'));
    }
  });
});

describe('docker-compose.yml: MySQL as the store of taskhub and Temporal', () => {
  const mysql = services.mysql;

  it('runs MySQL 8 (>= 8.0.17, which Temporal requires), never MariaDB', () => {
    for (const name of serviceNames) expect(`${name}: ${services[name].image ?? ''}`).not.toMatch(/mariadb/i);
    const { repo, tag } = imageRef(mysql.image!);
    expect(repo).toBe('mysql');
    const [major, minor = 0, patch = 0] = tag!.split(/[.-]/).map(Number);
    expect(major).toBe(8);
    expect(minor * 1000 + patch).toBeGreaterThanOrEqual(17);
  });

  it('keeps data in a named volume and has a TCP healthcheck', () => {
    expect(mysql.volumes).toContain('mysql-data:/var/lib/mysql');
    expect(Object.keys(compose.volumes ?? {})).toContain('mysql-data');
    expect(argv(mysql.healthcheck?.test)).toEqual(expect.arrayContaining(['mysqladmin', 'ping', '--host=127.0.0.1']));
  });

  it('takes the root password from MYSQL_ROOT_PASSWORD (default "root") and creates the taskhub database', () => {
    expect(envOf(raw.services.mysql).MYSQL_ROOT_PASSWORD).toBe('${MYSQL_ROOT_PASSWORD:-root}');
    expect(envOf(mysql).MYSQL_ROOT_PASSWORD).toBe('root');
    const database = envOf(mysql).MYSQL_DATABASE;
    expect(database).toBe('taskhub');
    for (const name of TASKHUB_SERVICES) {
      expect(new URL(envOf(services[name]).DATABASE_URL).pathname).toBe(`/${database}`);
    }
  });

  it('uses one password everywhere: MYSQL_ROOT_PASSWORD reaches taskhub, the Temporal server and the schema tool', () => {
    const custom = interpolate(raw, { ...PROD_ENV, MYSQL_ROOT_PASSWORD: 'Swordfish42' }).services;
    expect(envOf(custom.mysql).MYSQL_ROOT_PASSWORD).toBe('Swordfish42');
    expect(envOf(custom.temporal).MYSQL_PWD).toBe('Swordfish42');
    expect(envOf(custom['temporal-admin-tools']).SQL_PASSWORD).toBe('Swordfish42');
    for (const name of TASKHUB_SERVICES) {
      const url = new URL(envOf(custom[name]).DATABASE_URL);
      expect([url.username, url.password, url.host]).toEqual(['root', 'Swordfish42', 'mysql:3306']);
    }
  });

  it('stores Temporal in MySQL 8 with the mysql8 plugin', () => {
    const env = envOf(services.temporal);
    expect(env).toMatchObject({
      DB: 'mysql8',
      DB_PORT: '3306',
      MYSQL_SEEDS: 'mysql',
      MYSQL_USER: 'root',
      MYSQL_PWD: 'root',
      BIND_ON_IP: '0.0.0.0',
    });
    expect(Number(env.NUM_HISTORY_SHARDS)).toBeGreaterThanOrEqual(4);
  });

  it('loads a Temporal dynamic config file that exists in deploy/ and caps IDs at the MySQL column width', () => {
    const containerPath = envOf(services.temporal).DYNAMIC_CONFIG_FILE_PATH;
    expect(path.isAbsolute(containerPath)).toBe(true);
    const hostPath = hostPathFor(services.temporal, containerPath);
    expect(hostPath?.startsWith(path.join(ROOT, 'deploy') + path.sep)).toBe(true);
    const dynamicConfig = parseYaml(fs.readFileSync(hostPath!, 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamicConfig['limit.maxIDLength']).toEqual([{ value: 255, constraints: {} }]);
    expect(dynamicConfig).not.toHaveProperty(['system.forceSearchAttributesCacheRefreshOnRead']);
  });
});

describe('docker-compose.yml: taskhub configuration contract', () => {
  it('sets only environment variables that lib/config.ts reads (CONFIG_VARIABLES)', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    for (const name of TASKHUB_SERVICES) {
      const unknown = Object.keys(envOf(services[name])).filter((k) => !known.has(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });

  it('points the API and worker at MySQL (mysql://) and at the Temporal frontend', () => {
    for (const name of LONG_RUNNING_TASKHUB) {
      const env = envOf(services[name]);
      expect(env.DATABASE_URL).toMatch(/^mysql:\/\/root:[^@]+@mysql:3306\/taskhub$/);
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(argv(services.temporal.healthcheck?.test)).toContain('7233');
  });

  it.each(['taskhub-migrate', 'taskhub-api', 'taskhub-worker'])('%s environment is accepted by loadConfig and selects MySQL', (name) => {
    const config = loadConfig(envOf(services[name]));
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root:root@mysql:3306/taskhub' });
    if (name !== 'taskhub-migrate') {
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.temporal.namespace).toBe('default');
    }
  });

  it('gives the API its port, admin token, public URLs and a drain window', () => {
    const config = loadConfig(envOf(services['taskhub-api']));
    expect(config.port).toBe(3000);
    expect(config.adminToken).toBe(PROD_ENV.ADMIN_TOKEN);
    expect(config.serverAddress).toBe('http://localhost:3000');
    expect(config.temporal.uiUrl).toBe('http://localhost:8080');
    expect(config.shutdownGraceSeconds).toBe(30);
  });

  it('gives the worker the device and polling knobs, empty meaning the code defaults', () => {
    const env = envOf(raw.services['taskhub-worker']);
    for (const key of ['APPIUM_URL', 'TASK_POLL_INTERVAL', 'TASK_TIMEOUT_MINUTES']) expect(env[key]).toBe(`\${${key}:-}`);
    const defaults = loadConfig({});
    const config = loadConfig(envOf(services['taskhub-worker']));
    expect(config.taskPollIntervalSeconds).toBe(defaults.taskPollIntervalSeconds);
    expect(config.taskTimeoutMinutes).toBe(defaults.taskTimeoutMinutes);
    const tuned = interpolate(raw, { ...PROD_ENV, APPIUM_URL: 'http://host.docker.internal:4723', TASK_POLL_INTERVAL: '5' });
    const tunedConfig = loadConfig(envOf(tuned.services['taskhub-worker']));
    expect(tunedConfig.appiumUrl).toBe('http://host.docker.internal:4723');
    expect(tunedConfig.taskPollIntervalSeconds).toBe(5);
    expect(services['taskhub-worker'].extra_hosts).toContain('host.docker.internal:host-gateway');
  });

  it('uses one Temporal namespace for taskhub, the cluster setup and the UI', () => {
    const namespaces = [
      envOf(raw.services['taskhub-api']).TEMPORAL_NAMESPACE,
      envOf(raw.services['taskhub-worker']).TEMPORAL_NAMESPACE,
      envOf(raw.services['temporal-setup']).TEMPORAL_NAMESPACE,
      envOf(raw.services['temporal-ui']).TEMPORAL_DEFAULT_NAMESPACE,
    ];
    expect(new Set(namespaces)).toEqual(new Set(['${TEMPORAL_NAMESPACE:-default}']));
  });

  it('runs the compiled entry points, and the image default is the API', () => {
    const commands = Object.fromEntries(TASKHUB_SERVICES.map((n) => [n, argv(services[n].command)]));
    expect(commands).toEqual({
      'taskhub-migrate': ['node', 'dist/db/migrate.js'],
      'taskhub-api': ['node', 'dist/api/main.js'],
      'taskhub-worker': ['node', '--max-old-space-size=384', 'dist/worker/main.js'],
    });
    // dist/ mirrors the repo layout (tsconfig rootDir "."), e.g. db/migrate.ts -> dist/db/migrate.js.
    for (const source of ['db/migrate.ts', 'api/main.ts', 'worker/main.ts', 'worker/healthcheck.ts']) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
    }
  });
});
