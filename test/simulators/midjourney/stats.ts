import type { SimulatorStats } from './types';

/** Long benchmarks would otherwise grow this array without bound; the newest calls matter most. */
const MAX_LIST_CALLS_KEPT = 10_000;

export type CountedRoute = 'submit' | 'list_by_condition' | 'fetch_one' | 'image' | 'image_seed' | 'other';

export class StatsRecorder {
  private s: SimulatorStats = StatsRecorder.empty();

  private static empty(): SimulatorStats {
    return {
      submit: 0,
      list_by_condition: 0,
      image_seed: 0,
      fetch_one: 0,
      image: 0,
      other: 0,
      unauthorized: 0,
      idsPerListCall: [],
      submitByRoute: {},
      imageBytesSent: 0,
    };
  }

  request(route: CountedRoute): void {
    this.s[route]++;
  }

  submitRoute(name: string): void {
    this.s.submitByRoute[name] = (this.s.submitByRoute[name] ?? 0) + 1;
  }

  listCall(ids: number): void {
    this.s.idsPerListCall.push(ids);
    if (this.s.idsPerListCall.length > MAX_LIST_CALLS_KEPT) this.s.idsPerListCall.shift();
  }

  unauthorized(): void {
    this.s.unauthorized++;
  }

  imageBytes(n: number): void {
    this.s.imageBytesSent += n;
  }

  /** A copy, so callers can diff snapshots taken before and after an operation. */
  snapshot(): SimulatorStats {
    return { ...this.s, idsPerListCall: [...this.s.idsPerListCall], submitByRoute: { ...this.s.submitByRoute } };
  }

  reset(): void {
    this.s = StatsRecorder.empty();
  }
}
