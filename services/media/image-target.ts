import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { categorizeAddress } from './address-policy';
import { describeError, ImageFetchError } from './image-fetch-error';

/**
 * Where an image request may go: the URL (and each redirect's) checked, the host's addresses
 * vetted, and the request connected to exactly those addresses.
 */

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Lookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** What a request hands over to be destroyed if its phase fails. */
export interface Destroyable {
  destroy(err?: Error): unknown;
}

/** `raw` resolved against `base` (a redirect's Location); only plain http(s) without credentials. */
export function parseTarget(raw: string, base?: URL): URL {
  let target: URL;
  try {
    target = new URL(raw, base);
  } catch {
    throw new ImageFetchError('bad_url', 'image URL is not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new ImageFetchError('bad_url', `image URL scheme ${target.protocol} is not http or https`);
  if (target.username || target.password) throw new ImageFetchError('bad_url', 'image URL must not carry credentials');
  return target;
}

/** A host as `new URL(baseUrl).host` spells it, so trusted hosts compare equal to targets. */
export function normalizeHost(host: string): string {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return host.toLowerCase();
  }
}

function bareHostname(target: URL): string {
  return target.hostname.replace(/^\[(.*)\]$/, '$1');
}

export async function defaultLookup(hostname: string): Promise<readonly ResolvedAddress[]> {
  return dns.promises.lookup(hostname, { all: true });
}

/** Every address the host resolves to must pass, so a mixed answer can't slip a private one in. */
export async function vet(target: URL, trusted: Set<string>, lookup: Lookup): Promise<readonly ResolvedAddress[]> {
  const hostname = bareHostname(target);
  const literal = net.isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await lookup(hostname);
    } catch (err) {
      throw new ImageFetchError('unreachable', `cannot resolve ${hostname}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, {
        cause: err,
      });
    }
    if (addresses.length === 0) throw new ImageFetchError('unreachable', `${hostname} resolves to no address`);
  }
  if (trusted.has(target.host)) return addresses;
  for (const { address } of addresses) {
    const category = categorizeAddress(address);
    if (category !== 'public') {
      throw new ImageFetchError(
        'blocked',
        literal ? `image host ${target.host} is a ${category} address` : `image host ${target.host} resolves to a ${category} address`,
      );
    }
  }
  return addresses;
}

/**
 * Hands the socket layer the addresses we vetted instead of letting it ask DNS
 * again, which could answer differently (rebinding). The hostname still goes
 * into the Host header and TLS SNI/certificate check.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): net.LookupFunction {
  return (_hostname, opts, callback) => {
    const usable = opts.family ? addresses.filter((a) => a.family === opts.family) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error('no vetted address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (opts.all) {
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

/**
 * Keep-alive agents, one per scheme and set of vetted addresses (and port), so a pooled socket is
 * only ever reused for a request that vetted the very addresses it is connected to: a host that
 * now resolves elsewhere gets another agent, never the old socket. Within an agent, Node pools
 * sockets by host name and TLS server name as well, so one vetted address serving several
 * hosts keeps their connections apart. Bounded: the least recently used agent is closed past
 * MAX_AGENTS, and idle sockets close after IDLE_SOCKET_MS.
 */
const MAX_AGENTS = 64;
const SOCKETS_PER_AGENT = 16;
const IDLE_SOCKET_MS = 4_000;
const agents = new Map<string, http.Agent>();

function agentFor(target: URL, addresses: readonly ResolvedAddress[]): http.Agent {
  const key = `${target.protocol}//${target.port}/${addresses.map((a) => `${a.family}:${a.address}`).join(',')}`;
  let agent = agents.get(key);
  if (agent) {
    agents.delete(key);
  } else {
    const Agent = target.protocol === 'https:' ? https.Agent : http.Agent;
    agent = new Agent({ keepAlive: true, maxSockets: SOCKETS_PER_AGENT, maxFreeSockets: SOCKETS_PER_AGENT, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' });
    if (agents.size >= MAX_AGENTS) {
      const [oldest, old] = agents.entries().next().value!;
      agents.delete(oldest);
      old.destroy();
    }
  }
  agents.set(key, agent);
  return agent;
}

/** Closes every pooled upstream connection (tests, shutdown). */
export function closeImageAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/** GET `target` from one of the vetted `addresses`; `track` is given the request, to end it on timeout or abort. */
export function send(target: URL, addresses: readonly ResolvedAddress[], track: (item: Destroyable) => void): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request({
      method: 'GET',
      hostname: bareHostname(target),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      headers: { host: target.host, accept: 'image/*', 'accept-encoding': 'identity', 'user-agent': 'taskhub-image-proxy' },
      lookup: pinnedLookup(addresses),
      // Pooled per vetted address set (agentFor): a reused socket is connected to what we vetted.
      agent: agentFor(target, addresses),
    });
    track(req);
    req.once('response', resolve);
    // `on`, not `once`: a socket error after the response still reaches the request.
    req.on('error', (err) => {
      reject(
        err instanceof ImageFetchError ? err : new ImageFetchError('unreachable', `upstream unreachable: ${describeError(err)}`, undefined, { cause: err }),
      );
    });
    req.end();
  });
}
