import type { SimStats, StatRoute } from './types';

// Benchmarks read batches per poll interval; a day-long demo should not keep every one.
const MAX_BATCHES_KEPT = 10_000;

/**
 * Counts every request that reached a Suno route, whatever it was answered
 * (fault, 401, 503): the relay sent it, so it costs an upstream round trip.
 */
export class StatsRecorder {
  private current: SimStats;

  constructor(private readonly now: () => number) {
    this.current = this.fresh();
  }

  request(route: StatRoute): void {
    this.current.requests[route] += 1;
  }

  batch(ids: string[]): void {
    const batches = this.current.fetchBatches;
    if (batches.length >= MAX_BATCHES_KEPT) batches.shift();
    batches.push([...ids]);
  }

  faultServed(): void {
    this.current.faultsServed += 1;
  }

  unauthorized(): void {
    this.current.unauthorized += 1;
  }

  snapshot(): SimStats {
    return structuredClone(this.current);
  }

  reset(): void {
    this.current = this.fresh();
  }

  private fresh(): SimStats {
    return {
      since: this.now(),
      requests: { submit: 0, fetch_batch: 0, fetch_one: 0 },
      fetchBatches: [],
      faultsServed: 0,
      unauthorized: 0,
    };
  }
}
