/** docs/configuration.md's tables are what lib/config.ts renders, so the page cannot go stale. */

import fs from 'node:fs';
import { CONFIG_VARIABLES } from '../../lib/config';
import { CONFIG_DOC_PATH, TABLE_END, TABLE_START, configVariables, renderConfigTable, withFreshTable } from '../../scripts/config-doc';

const page = fs.readFileSync(CONFIG_DOC_PATH, 'utf8');
const committedTable = page.slice(page.indexOf(TABLE_START) + TABLE_START.length, page.indexOf(TABLE_END)).trim();

describe('docs/configuration.md', () => {
  it('holds the table lib/config.ts renders (run `npm run docs:config` to fix)', () => {
    expect(page).toContain(TABLE_START);
    expect(page).toContain(TABLE_END);
    if (committedTable !== renderConfigTable()) {
      throw new Error('docs/configuration.md is out of date with lib/config.ts: run `npm run docs:config` and commit the result');
    }
    expect(withFreshTable(page)).toBe(page);
  });

  it('has one row for every variable in CONFIG_VARIABLES, and no others', () => {
    const rows = [...committedTable.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual([...CONFIG_VARIABLES].sort());
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('documents every variable with a meaning and what happens when it is unset', () => {
    const variables = configVariables();
    expect(variables.map((v) => v.name)).toEqual(CONFIG_VARIABLES);
    for (const v of variables) {
      expect({ name: v.name, described: v.description.length > 5, defaulted: v.default.length > 0 }).toEqual({
        name: v.name,
        described: true,
        defaulted: true,
      });
    }
  });

  it('shows defaults taken from the schema, plus the written text where the default is computed', () => {
    const byName = new Map(configVariables().map((v) => [v.name, v]));
    expect(byName.get('PORT')).toMatchObject({ default: '`3000`', accepts: 'integer 0–65535', group: 'general' });
    expect(byName.get('MJ_IMAGE_MAX_BYTES')?.default).toBe('`33554432` (32 MiB)');
    expect(byName.get('DATABASE_URL')?.default).toBe('embedded SQLite file `DATA_DIR/taskhub.sqlite`');
    expect(byName.get('LICENSE_PLAN')?.accepts).toBe('`Starter` / `Pro` / `Team` / `Business`');
    expect(byName.get('DEVICE_TASK_AUTO_RETRY')).toMatchObject({ accepts: 'boolean', default: '`false`' });
  });
});
