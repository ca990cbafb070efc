/** How each variable documents itself: the sections of docs/configuration.md and one row's text. */
/** Sections of docs/configuration.md, in the order they are printed. */
export const CONFIG_GROUPS = {
  general: 'General',
  temporal: 'Temporal',
  generation: 'Suno, polling and pricing',
  midjourney: 'Midjourney',
  devices: 'Device tasks (TikMatrix API, Appium)',
  dashboard: 'Dashboard and live updates',
  operations: 'Operations',
} as const;

/**
 * What docs/configuration.md says about one variable (scripts/config-doc.ts renders it).
 * The default column shows the schema's own default; `defaultText` follows it, or stands
 * alone when the default is computed at start or the variable has none.
 */
export type ConfigDoc = {
  group: keyof typeof CONFIG_GROUPS;
  description: string;
  /** What the accepts column says when the schema's type alone would not tell (a URL, a JSON object…). */
  accepts?: string;
  defaultText?: string;
};

export const doc = (group: ConfigDoc['group'], description: string, extra: Omit<ConfigDoc, 'group' | 'description'> = {}): ConfigDoc => ({
  group,
  description,
  ...extra,
});
