/** Socket-level failures: the peer is down or went away, as opposed to refusing what was asked. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
]);
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: Temporal's frontend did not answer. */
const GRPC_UNREACHABLE = new Set([14, 4]);

/**
 * Which backing service a request failed on because it could not be reached, if any: such a
 * failure is a 503 (try again shortly), not a 500. Database drivers mark their connection
 * errors with a string `code` and `fatal`/`sqlState`/`errno`; gRPC errors carry a numeric one.
 */
export function unreachableService(thrown: unknown): 'database' | 'temporal' | null {
  for (let e = thrown, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code) && ('fatal' in e || 'sqlState' in e || 'errno' in e)) return 'database';
    if (typeof code === 'number' && GRPC_UNREACHABLE.has(code) && 'details' in e) return 'temporal';
  }
  return null;
}
