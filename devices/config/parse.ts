import { z } from 'zod';
import { SCRIPT_NAMES, type ConfigProblem, type ParsedConfig, type ScriptName } from '../contract';
import { SCRIPTS } from '../scripts/registry';

export function isScriptName(name: string): name is ScriptName {
  return (SCRIPT_NAMES as readonly string[]).includes(name);
}

/** `script_config.target_users[1]: "x y" is not a TikTok username; script_config.access_method: …` */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), 'script_config');
      const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
      return `${where}: ${missing ? 'is required' : issue.message}`;
    })
    .join('; ');
}

export function parseScriptConfig(scriptName: string, raw: unknown): ParsedConfig | ConfigProblem {
  if (!isScriptName(scriptName)) {
    return { ok: false, code: 40003, message: `script "${scriptName}" is not supported via the API (supported: ${SCRIPT_NAMES.join(', ')})` };
  }
  const parsed = SCRIPTS[scriptName].schema.safeParse(raw === undefined ? {} : raw);
  if (!parsed.success) return { ok: false, code: 40001, message: `invalid script_config for ${scriptName}: ${describeConfigIssues(parsed.error.issues)}` };
  return { ok: true, config: parsed.data };
}

export function fanOut(scriptName: ScriptName, config: Record<string, unknown>): Record<string, unknown>[] {
  const split = SCRIPTS[scriptName].fanOut;
  return split ? split(config) : [config];
}

/**
 * Each script's `script_config` as JSON Schema (the input side: what a client may send),
 * derived from the very schemas `parseScriptConfig` validates with, so a form built from it
 * (the dashboard's) offers exactly the fields the API accepts.
 */
export function scriptConfigJsonSchemas(): Record<ScriptName, Record<string, unknown>> {
  return Object.fromEntries(
    SCRIPT_NAMES.map((name) => [name, z.toJSONSchema(SCRIPTS[name].schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })]),
  ) as unknown as Record<ScriptName, Record<string, unknown>>;
}
