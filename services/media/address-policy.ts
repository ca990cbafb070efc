import net from 'node:net';

/**
 * Which IP addresses an outbound fetch on a user's behalf may reach. Only
 * `public` is allowed; every other category is somewhere an attacker-supplied
 * URL must not be able to point us (our own loopback, the LAN, the cloud
 * metadata service, …). The tables follow IANA's special-purpose registries.
 */
export type AddressCategory =
  'public' | 'unspecified' | 'loopback' | 'private' | 'shared' | 'link_local' | 'multicast' | 'broadcast' | 'documentation' | 'reserved' | 'not_an_ip';

type Rule = readonly [prefix: bigint, bits: number, category: Exclude<AddressCategory, 'public' | 'not_an_ip'>];

const V4_RULES: readonly Rule[] = [
  v4('255.255.255.255', 32, 'broadcast'),
  v4('0.0.0.0', 8, 'unspecified'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link_local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

// Checked in order, so the specific prefixes come before the catch-all for
// everything outside global unicast (2000::/3).
const V6_RULES: readonly Rule[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('fc00::', 7, 'private'),
  v6('fe80::', 10, 'link_local'),
  v6('fec0::', 10, 'private'),
  v6('ff00::', 8, 'multicast'),
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
  // Protocol assignments: Teredo (2001::/32) hides an arbitrary IPv4 peer, the rest is
  // benchmarking, ORCHID and anycast services nobody serves images from.
  v6('2001::', 23, 'reserved'),
];

const GLOBAL_UNICAST = v6('2000::', 3, 'reserved');
const V4_MAPPED = v6('::ffff:0:0', 96, 'reserved');
const NAT64 = v6('64:ff9b::', 96, 'reserved');
const SIX_TO_FOUR = v6('2002::', 16, 'reserved');

export function categorizeAddress(address: string): AddressCategory {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  switch (net.isIP(bare)) {
    case 4:
      return categorizeV4(parseV4(bare));
    case 6:
      return categorizeV6(parseV6(bare));
    default:
      return 'not_an_ip';
  }
}

export function isPublicAddress(address: string): boolean {
  return categorizeAddress(address) === 'public';
}

function categorizeV4(value: bigint): AddressCategory {
  for (const rule of V4_RULES) if (matches(value, rule, 32)) return rule[2];
  return 'public';
}

function categorizeV6(value: bigint): AddressCategory {
  const low32 = value & 0xffff_ffffn;
  // Forms that carry an IPv4 address are judged by that address: a connect to
  // ::ffff:127.0.0.1 is a connect to 127.0.0.1, and a NAT64 or 6to4 gateway
  // forwards to the embedded IPv4 host.
  if (matches(value, V4_MAPPED, 128) || matches(value, NAT64, 128)) return categorizeV4(low32);
  if (matches(value, SIX_TO_FOUR, 128)) return categorizeV4((value >> 80n) & 0xffff_ffffn);
  for (const rule of V6_RULES) if (matches(value, rule, 128)) return rule[2];
  // Everything else outside 2000::/3 is unassigned or special (including the
  // deprecated IPv4-compatible ::a.b.c.d form).
  return matches(value, GLOBAL_UNICAST, 128) ? 'public' : 'reserved';
}

function matches(value: bigint, [prefix, bits]: Rule, width: number): boolean {
  const shift = BigInt(width - bits);
  return value >> shift === prefix >> shift;
}

function v4(address: string, bits: number, category: Rule[2]): Rule {
  return [parseV4(address), bits, category];
}

function v6(address: string, bits: number, category: Rule[2]): Rule {
  return [parseV6(address), bits, category];
}

/** Callers have checked `net.isIP(address) === 4`, so the dotted quad is well formed. */
function parseV4(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Callers have checked `net.isIP(address) === 6`; only the expansion is left to do. */
function parseV6(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = parseV4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}
