import type { RequestFault, RouteGroup, TaskOutcome } from './types';

/** Queues are for scripting a handful of upcoming events, not for load; the cap keeps a typo from eating memory. */
export const MAX_QUEUED = 10_000;

export class BoundedQueue<T> {
  private items: T[] = [];

  push(item: T, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    if (this.items.length + count > MAX_QUEUED) throw new RangeError(`at most ${MAX_QUEUED} queued entries`);
    for (let i = 0; i < count; i++) this.items.push(item);
  }

  take(): T | undefined {
    return this.items.shift();
  }

  get size(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
  }
}

export const ROUTE_GROUPS: readonly RouteGroup[] = ['submit', 'list', 'fetch', 'image', 'seed'];

export class FaultQueues {
  private readonly queues = new Map<RouteGroup, BoundedQueue<RequestFault>>(ROUTE_GROUPS.map((g) => [g, new BoundedQueue<RequestFault>()]));

  push(group: RouteGroup, fault: RequestFault, count = 1): void {
    this.queues.get(group)!.push({ ...fault }, count);
  }

  take(group: RouteGroup): RequestFault | undefined {
    return this.queues.get(group)!.take();
  }

  pending(): Record<RouteGroup, number> {
    return Object.fromEntries(ROUTE_GROUPS.map((g) => [g, this.queues.get(g)!.size])) as Record<RouteGroup, number>;
  }

  clear(): void {
    for (const q of this.queues.values()) q.clear();
  }
}

export interface SubmitCodeOverride {
  code: number;
  description?: string;
}

const MARKER_RE = /\[sim:(fail|stall|drop|success|chatty)\]/i;

/** Lets a demo or test pick a task's fate from the prompt alone, through any relay that forwards prompts. */
export function outcomeFromPrompt(prompt: string | null | undefined): TaskOutcome | undefined {
  const m = prompt ? MARKER_RE.exec(prompt) : null;
  return m ? (m[1]!.toLowerCase() as TaskOutcome) : undefined;
}

export function findBannedWord(prompt: string | null | undefined, words: readonly string[]): string | undefined {
  if (!prompt) return undefined;
  const lower = prompt.toLowerCase();
  return words.find((w) => w !== '' && lower.includes(w.toLowerCase()));
}

/** The body of a `garbage` fault: what an nginx error page in front of the proxy looks like. */
export const GARBAGE_BODY = '<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>';
