import { measureConcurrent } from './stats';

/** How a stage loads the system: `requests` calls with `clients` in flight after `warmup` calls, within `budgetMs`. */
export interface Shape {
  requests: number;
  clients: number;
  warmup: number;
  budgetMs: number;
}

export interface Stage {
  label: string;
  clients: number;
  ms: number[];
  wallMs: number;
}

/**
 * A short warm-up, then the measured calls; each part fails the run once it is over its budget,
 * so a pathological plan ends the benchmark instead of hanging it.
 */
export async function runStage(label: string, shape: Shape, call: () => Promise<unknown>): Promise<Stage> {
  await measureConcurrent(shape.warmup, Math.min(shape.clients, shape.warmup), withinBudget(`${label} (warm-up)`, shape.budgetMs, call));
  const { ms, wallMs } = await measureConcurrent(shape.requests, shape.clients, withinBudget(label, shape.budgetMs, call));
  console.log(`  measured: ${label}: ${ms.length} requests in ${(wallMs / 1000).toFixed(1)} s`);
  return { label, clients: shape.clients, ms, wallMs };
}

function withinBudget(what: string, budgetMs: number, call: () => Promise<unknown>): () => Promise<unknown> {
  const deadline = performance.now() + budgetMs;
  return () => {
    if (performance.now() > deadline) throw new Error(`${what}: over its ${budgetMs / 1000} s budget`);
    return call();
  };
}
