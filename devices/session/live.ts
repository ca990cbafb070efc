/** Sessions opened by this process and not yet deleted: how tests (and /metrics, if wanted) see leaks. */
export const live = new Map<string, { serial: string; appiumUrl: string }>();

export function liveSessions(): { sessionId: string; serial: string; appiumUrl: string }[] {
  return [...live].map(([sessionId, info]) => ({ sessionId, ...info }));
}
