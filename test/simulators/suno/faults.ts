import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { codeForStatus, sendError, sleep } from './http';
import type { Fault, RouteGroup, TaskOutcome } from './types';

// Bounds keep a typo in a demo script from wedging a test run for hours.
export const MAX_DELAY_MS = 120_000;
const MAX_QUEUED_PER_GROUP = 10_000;

const delayMs = z.number().int().min(0).max(MAX_DELAY_MS);

// Strict objects so an ambiguous fault such as {status: 500, garbage: true} is refused, not half-applied.
export const faultSchema = z.union([
  z.strictObject({ status: z.number().int().min(400).max(599), message: z.string().optional(), delayMs: delayMs.optional() }),
  z.strictObject({ garbage: z.literal(true), delayMs: delayMs.optional() }),
  z.strictObject({ reject: z.string(), delayMs: delayMs.optional() }),
  z.strictObject({ destroy: z.literal(true), delayMs: delayMs.optional() }),
  z.strictObject({ delayMs }),
]);

export const routeGroupSchema = z.enum(['submit', 'fetch']);
export const outcomeSchema = z.enum(['success', 'fail', 'stall', 'drop', 'chatty']);

export class FaultQueue {
  private queues: Record<RouteGroup, Fault[]> = { submit: [], fetch: [] };

  push(group: RouteGroup, faults: readonly Fault[]): void {
    const g = routeGroupSchema.parse(group);
    const parsed = z.array(faultSchema).parse(faults) as Fault[];
    if (this.queues[g].length + parsed.length > MAX_QUEUED_PER_GROUP) {
      throw new RangeError(`suno simulator: at most ${MAX_QUEUED_PER_GROUP} faults may be queued per group`);
    }
    this.queues[g].push(...parsed);
  }

  take(group: RouteGroup): Fault | undefined {
    return this.queues[group].shift();
  }

  pending(): Record<RouteGroup, Fault[]> {
    return structuredClone(this.queues);
  }

  clear(group?: RouteGroup): void {
    if (group) this.queues[group] = [];
    else this.queues = { submit: [], fetch: [] };
  }
}

const MARKER = /\[sim:(success|fail|stall|drop|chatty)\]/i;

/** The first `[sim:<outcome>]` marker found in the given texts, so callers can steer single tasks through the real API. */
export function outcomeFromText(...texts: string[]): TaskOutcome | undefined {
  for (const text of texts) {
    const m = MARKER.exec(text);
    if (m) return m[1]!.toLowerCase() as TaskOutcome;
  }
  return undefined;
}

export type FaultResult = 'answered' | 'proceed' | 'aborted';

/**
 * Plays one queued fault. A pure delay answers nothing and lets the normal
 * handler run afterwards, even if the client has given up by then: a slow
 * upstream still creates the task, which is exactly what retry logic must cope with.
 */
export async function serveFault(fault: Fault, res: ServerResponse, signal: AbortSignal): Promise<FaultResult> {
  if (fault.delayMs !== undefined && fault.delayMs > 0 && !(await sleep(fault.delayMs, signal))) {
    res.destroy();
    return 'aborted';
  }
  if ('status' in fault) {
    sendError(res, fault.status, fault.message ?? `simulated HTTP ${fault.status}`, codeForStatus(fault.status));
    return 'answered';
  }
  if ('garbage' in fault) {
    const body = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>';
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return 'answered';
  }
  if ('reject' in fault) {
    sendError(res, 400, fault.reject, 'invalid_request');
    return 'answered';
  }
  if ('destroy' in fault) {
    res.destroy();
    return 'answered';
  }
  return 'proceed';
}
