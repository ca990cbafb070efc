import { startSunoSimulator } from './index';
import { SECRET, waitFor } from './test-helpers';

describe('Suno-API simulator lifecycle', () => {
  const count = (type: string): number => process.getActiveResourcesInfo().filter((t) => t === type).length;

  it('picks a random 127.0.0.1 port per instance and generates a secret when none is given', async () => {
    const a = await startSunoSimulator();
    const b = await startSunoSimulator();
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).not.toBe(b.url);
      expect(a.secret).not.toBe('');
      expect(a.secret).not.toBe(b.secret);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('stop() ends in-flight slow requests and leaves no server, socket or timer behind', async () => {
    // Handles closed by earlier tests disappear a tick or two after their close callbacks.
    // Timer counts are process-wide (Jest has its own), so they are only compared as "back to no more than before".
    await new Promise((r) => setTimeout(r, 20));
    const servers = count('TCPServerWrap');
    const sockets = count('TCPSocketWrap');
    const timers = count('Timeout');
    const s = await startSunoSimulator({ secret: SECRET });
    try {
      expect(count('TCPServerWrap')).toBe(servers + 1);

      s.injectFaults('fetch', [{ delayMs: 60_000 }]);
      const inflight = fetch(`${s.url}/suno/fetch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
        body: JSON.stringify({ ids: [] }),
      }).then(
        () => 'answered',
        () => 'connection closed',
      );
      await waitFor(() => s.stats().faultsServed === 1);

      const started = performance.now();
      await s.stop();
      expect(performance.now() - started).toBeLessThan(1000);
      await expect(inflight).resolves.toBe('connection closed');
      await expect(s.stop()).resolves.toBeUndefined();
      await expect(fetch(`${s.url}/__sim/health`)).rejects.toThrow();

      // The client side of the refused connection above lingers for a few ticks, longer on a busy machine.
      await waitFor(() => count('TCPServerWrap') <= servers && count('TCPSocketWrap') <= sockets && count('Timeout') <= timers, 300, 10).catch(() => undefined);
      expect(count('TCPServerWrap')).toBeLessThanOrEqual(servers);
      expect(count('TCPSocketWrap')).toBeLessThanOrEqual(sockets);
      expect(count('Timeout')).toBeLessThanOrEqual(timers);
    } finally {
      // A failed assertion must not leave the server open: it would keep Jest from exiting.
      await s.stop();
    }
  });
});
