import type { EntityName, EntityProperty } from '@mikro-orm/core';
import type { Orm } from '../../db/orm';

/**
 * Turns raw result rows into plain objects shaped like the entity (property names, JSON
 * parsed, bigints as numbers), through the column types' own conversions. Listings read
 * pages this way instead of through the unit of work: nothing is ever flushed from a list,
 * and hydrating managed entities was the largest single cost of a first page.
 */
export function rowMapper<T>(orm: Orm, entity: EntityName, omit: string[] = []): { columns: string[]; map(row: Record<string, unknown>): T } {
  const platform = orm.em.getPlatform();
  const props = (Object.values(orm.getMetadata().get(entity).properties) as EntityProperty[])
    .filter((p) => p.fieldNames?.length === 1 && p.persist !== false && !omit.includes(p.name))
    .map((p) => ({ name: p.name, column: p.fieldNames[0], type: p.customType }));
  return {
    columns: props.map((p) => p.column),
    map(row) {
      const out: Record<string, unknown> = {};
      for (const p of props) {
        const value = row[p.column];
        out[p.name] = value == null || !p.type ? value : p.type.convertToJSValue(value, platform);
      }
      return out as T;
    },
  };
}
