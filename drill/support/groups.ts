import { allProcesses, describeProcess } from '../../lib/processes';

/**
 * Process groups the drill started (each watchdog leads one, its command inside it), so that
 * at the end it can prove none of its processes outlived it.
 */
const groups = new Set<number>();

export function startedGroup(pgid: number | undefined): void {
  if (pgid !== undefined) groups.add(pgid);
}

/** Processes still running in any group the drill started. */
export function leftoverProcesses(): string[] {
  return allProcesses()
    .filter((p) => groups.has(p.pgid))
    .map(describeProcess);
}
