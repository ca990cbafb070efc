import { Accordion, NumberInput, Select, SimpleGrid, Switch, Textarea, TextInput } from '@mantine/core';
import type { JsonSchema } from '../api/types';

/**
 * Form fields for one JSON Schema object: the script_config schemas GET /api/v1/script derives
 * from the server's zod schemas. Only fields the user filled in are sent, so the server's
 * defaults apply to the rest and its validation (the same schema) has the last word.
 */
export type FormValues = Record<string, unknown>;

const label = (name: string) => name.replace(/_/g, ' ');

function hint(schema: JsonSchema): string | undefined {
  const parts: string[] = [];
  if (schema.default !== undefined && schema.default !== '' && !(Array.isArray(schema.default) && schema.default.length === 0)) {
    parts.push(`default ${typeof schema.default === 'object' ? JSON.stringify(schema.default) : String(schema.default)}`);
  }
  if (schema.minimum !== undefined || schema.maximum !== undefined) parts.push(`${schema.minimum ?? '…'}–${schema.maximum ?? '…'}`);
  if (schema.type === 'array') parts.push('one per line');
  if (schema.description) parts.push(schema.description);
  return parts.join(' · ') || undefined;
}

/** The choices of an enum, or of an anyOf of constants (e.g. content_type 0 | 1). */
function choices(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.anyOf?.every((s) => s.const !== undefined)) return schema.anyOf.map((s) => s.const);
  return undefined;
}

/** Drops fields left empty, recursively, so the request carries only what was chosen. */
export function compact(values: FormValues): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = compact(v as FormValues);
      if (Object.keys(inner).length) out[k] = inner;
      continue;
    }
    out[k] = v;
  }
  return out;
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange(value: unknown): void;
}

function Field({ name, schema, required, value, onChange }: FieldProps) {
  const common = { label: label(name), description: hint(schema), withAsterisk: required, 'data-field': name };
  const options = choices(schema);
  if (options) {
    return (
      <Select
        {...common}
        clearable
        placeholder="(default)"
        data={options.map((o) => ({ value: JSON.stringify(o), label: String(o) }))}
        value={value === undefined ? null : JSON.stringify(value)}
        onChange={(v) => onChange(v === null ? undefined : JSON.parse(v))}
      />
    );
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return (
        <NumberInput
          {...common}
          min={schema.minimum}
          max={schema.maximum}
          allowDecimal={schema.type === 'number'}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : undefined)}
        />
      );
    case 'boolean':
      return <Switch {...common} mt="lg" checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'array':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          value={Array.isArray(value) ? value.join('\n') : ''}
          onChange={(e) =>
            onChange(
              e.currentTarget.value
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            )
          }
        />
      );
    case 'object':
      // Nested settings (e.g. chatgpt_settings) are rarely changed: folded until asked for.
      return (
        <Accordion variant="contained" style={{ gridColumn: '1 / -1' }}>
          <Accordion.Item value={name}>
            <Accordion.Control>{label(name)}</Accordion.Control>
            <Accordion.Panel>
              <SchemaFields schema={schema} values={(value as FormValues) ?? {}} onChange={(v) => onChange(v)} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      );
    default: {
      const long = (schema.maxLength ?? 0) >= 1000;
      const props = {
        ...common,
        value: typeof value === 'string' ? value : '',
        onChange: (e: { currentTarget: { value: string } }) => onChange(e.currentTarget.value),
      };
      return long ? <Textarea {...props} autosize minRows={2} /> : <TextInput {...props} />;
    }
  }
}

export function SchemaFields({ schema, values, onChange }: { schema: JsonSchema; values: FormValues; onChange(values: FormValues): void }) {
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      {entries.map(([name, field]) => (
        <Field
          key={name}
          name={name}
          schema={field}
          required={schema.required?.includes(name) ?? false}
          value={values[name]}
          onChange={(v) => onChange({ ...values, [name]: v })}
        />
      ))}
    </SimpleGrid>
  );
}
