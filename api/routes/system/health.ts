import type { AppDeps } from '../../deps';

export interface HealthReport {
  status: 'ok' | 'degraded';
  uptime_seconds: number;
  checks: Record<'database' | 'temporal', { ok: boolean; ms: number; error?: string }>;
}

const CHECK_TIMEOUT_MS = 3000;

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, ms: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Both dependencies are probed in parallel, each with its own time limit. */
export async function checkHealth(deps: AppDeps): Promise<HealthReport> {
  const [database, temporal] = await Promise.all([timed(() => deps.orm.em.fork().getConnection().execute('select 1')), timed(() => deps.temporal.check())]);
  return { status: database.ok && temporal.ok ? 'ok' : 'degraded', uptime_seconds: Math.round(process.uptime()), checks: { database, temporal } };
}
