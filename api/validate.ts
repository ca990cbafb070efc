import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../lib/errors';

/** Parses one part of a request, turning zod issues into field-level messages. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: FieldIssue[] = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys : [];
    const field = [...issue.path.map(String), ...(keys.length === 1 ? keys : [])].join('.');
    return {
      field: field || where,
      message: issue.code === 'unrecognized_keys' ? `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}` : issue.message,
    };
  });
  throw new ValidationError(`invalid ${where}`, { details });
}
