/**
 * docker-compose.yml, Dockerfile and deploy/ cannot be run on the CI machine
 * (no Docker engine), so this suite checks them statically: Compose schema,
 * interpolation, topology rules, the taskhub configuration contract, and the
 * deploy shell scripts run against fake `temporal` / `temporal-sql-tool` binaries.
 */

import fs from 'node:fs';
import path from 'node:path';
import { fullFormats } from 'ajv-formats/dist/formats';
import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(__dirname, '../..');
export const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');

// ---------------------------------------------------------------- types

export type Scalar = string | number | boolean | null;
export interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}
export interface Service {
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
export interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}
export type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------- interpolation (Compose semantics)

export class InterpolationError extends Error {}

export function resolveExpression(expr: string, env: Env): string {
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

export function interpolateString(s: string, env: Env): string {
  let out = '';
  for (let i = 0; i < s.length;) {
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
export function interpolate<T>(node: T, env: Env): T {
  if (typeof node === 'string') return interpolateString(node, env) as T;
  if (Array.isArray(node)) return node.map((n) => interpolate(n, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return node;
}

// ---------------------------------------------------------------- small parsers

export function parseDurationSeconds(d: string): number {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.map((p) => p[0]).join('') !== d || parts.length === 0) throw new Error(`not a duration: ${d}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

export interface PortSpec {
  ip?: string;
  host?: [number, number];
  container: [number, number];
  protocol: string;
}

/** Compose short port syntax: [IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTOCOL]. */
export function parsePortSpec(spec: string): PortSpec | undefined {
  const m = /^(?:(\[[0-9A-Fa-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):)?(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)(?:\/(tcp|udp|sctp))?$/.exec(spec);
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

export function envOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

export function dependsOf(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.condition ?? 'service_started']));
}

export function argv(cmd: string | string[] | undefined): string[] {
  if (cmd === undefined) return [];
  return Array.isArray(cmd) ? cmd : cmd.split(/\s+/).filter(Boolean);
}

/** Host file behind a container path, via the service's relative bind mounts. */
export function hostPathFor(service: Service, containerPath: string): string | undefined {
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

export function imageRef(image: string): { repo: string; tag?: string; digest?: string } {
  const [nameTag, digest] = image.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  if (colon > slash) return { repo: nameTag.slice(0, colon), tag: nameTag.slice(colon + 1), digest };
  return { repo: nameTag, digest };
}

// ---------------------------------------------------------------- fixtures

export const composeText = fs.readFileSync(COMPOSE_FILE, 'utf8');
/** As written (merge keys resolved, `${…}` untouched). */
export const raw = parseYaml(composeText, { merge: true }) as Compose;
/** Production-like variables: only the required ADMIN_TOKEN is provided. */
export const PROD_ENV: Env = { ADMIN_TOKEN: 'compose-test-admin-token-0123' };
export const compose = interpolate(raw, PROD_ENV);
export const services = compose.services;
export const serviceNames = Object.keys(services);

export const TASKHUB_SERVICES = serviceNames.filter((name) => services[name].build !== undefined);
export const LONG_RUNNING_TASKHUB = ['taskhub-api', 'taskhub-worker'];
export const ONE_SHOT = serviceNames.filter((name) => (services[name].restart ?? 'no') === 'no');
export const LONG_RUNNING = serviceNames.filter((name) => !ONE_SHOT.includes(name));
