import type { z } from 'zod';
import type { AccountTarget, DeviceTarget, ScriptName, ScriptResult } from '../contract';
import type { TiktokSelectors } from '../selectors/tiktok';
import type { DeviceSession } from '../session/types';

export interface ScriptContext {
  session: DeviceSession;
  ui: TiktokSelectors;
  device: DeviceTarget;
  account?: AccountTarget;
  signal: AbortSignal;
  /** [0, 1); injectable so probability and "random order" branches are reproducible. */
  random: () => number;
  /** Clock for time-bounded scripts (warm-up). */
  now: () => number;
  /** Where relative material paths are found on the worker (TASKHUB_UPLOAD_DIR). */
  uploadDir: string;
}

export interface ScriptDefinition<C extends Record<string, unknown>> {
  name: ScriptName;
  /** Parses raw `script_config` into C with defaults; the output is valid input again. */
  schema: z.ZodType<C>;
  /** One config per independent unit of work (a target user, a post URL); absent = [config]. */
  fanOut?: (config: C) => C[];
  run(ctx: ScriptContext, config: C): Promise<ScriptResult>;
}

export function defineScript<C extends Record<string, unknown>>(definition: ScriptDefinition<C>): ScriptDefinition<C> {
  return definition;
}
