/** deploy/temporal/*.sh run against fake `temporal` / `temporal-sql-tool` / `nc` binaries. */

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEARCH_ATTRIBUTES, searchAttributeCliFlags } from '../../temporal/search-attributes';
import { type Env, envOf, argv, hostPathFor, services } from './support';

describe('deploy scripts', () => {
  let tmp: string;
  let fakeBin: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'taskhub-compose-'));
    fakeBin = path.join(tmp, 'bin');
    fs.mkdirSync(fakeBin);
    const write = (name: string, body: string) => fs.writeFileSync(path.join(fakeBin, name), `#!/bin/sh\n${body}`, { mode: 0o755 });
    write('nc', 'exit 0\n');
    write(
      'temporal-sql-tool',
      `printf '%s\\n' "$*" >> "$FAKE_LOG"
[ -n "\${SQL_PASSWORD:-}" ] || { echo "SQL_PASSWORD not set" >&2; exit 3; }
case "$*" in *"\${FAKE_FAIL_ON:-@none@}"*) echo "boom" >&2; exit 1 ;; esac
exit 0
`,
    );
    write(
      'temporal',
      `printf '%s\\n' "$*" >> "$FAKE_LOG"
name=""; prev=""
for a in "$@"; do [ "$prev" = "--name" ] && name="$a"; prev="$a"; done
case "$1 $2 $3" in
  "operator cluster health")
    n=$(cat "$FAKE_STATE/health" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$FAKE_STATE/health"
    [ "$n" -gt "\${FAKE_HEALTH_FAILURES:-0}" ] || { echo "connection refused" >&2; exit 1; }
    exit 0 ;;
  "operator namespace describe")
    [ -n "\${FAKE_NAMESPACE_EXISTS:-}" ] && exit 0
    echo "Namespace default is not found." >&2; exit 1 ;;
  "operator namespace create") exit 0 ;;
  "operator search-attribute create")
    case " \${FAKE_CONFLICT:-} " in *" $name "*) echo "search attribute $name already exists and has different type Int" >&2; exit 1 ;; esac
    case " \${FAKE_EXISTING:-} " in *" $name "*) echo "Search attribute $name already exists." >&2; exit 1 ;; esac
    echo "$name" >> "$FAKE_STATE/registered"; echo "Search attributes have been added"; exit 0 ;;
  "operator search-attribute list")
    echo "Name Type"
    [ -f "$FAKE_STATE/registered" ] && sed 's/$/ Keyword/' "$FAKE_STATE/registered"
    for n in \${FAKE_EXISTING:-}; do echo "$n Keyword"; done
    exit 0 ;;
esac
echo "unexpected call: $*" >&2; exit 64
`,
    );
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  interface ScriptRun {
    status: number | null;
    stdout: string;
    stderr: string;
    calls: string[];
  }

  /** Runs a one-shot service's entrypoint script with its compose environment and fake tools. */
  function runOneShot(serviceName: string, extraEnv: Env = {}): Promise<ScriptRun> {
    const service = services[serviceName];
    const [shell, script] = argv(service.entrypoint);
    expect(shell).toBe('/bin/sh');
    const hostScript = hostPathFor(service, script);
    expect(hostScript && fs.existsSync(hostScript)).toBe(true);
    const state = fs.mkdtempSync(path.join(tmp, 'run-'));
    const log = path.join(state, 'calls.log');
    const child = spawn('sh', [hostScript!], {
      timeout: 10_000,
      env: {
        ...envOf(service),
        PATH: `${fakeBin}:/usr/bin:/bin`,
        FAKE_LOG: log,
        FAKE_STATE: state,
        SETUP_RETRY_DELAY: '0',
        SETUP_WAIT_ATTEMPTS: '5',
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status) => {
        const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
        resolve({ status, stdout, stderr, calls });
      });
    });
  }

  // The scenarios run concurrently (each is a few dozen short processes); the tests below assert on them.
  const SCENARIOS = {
    schemaOk: ['temporal-admin-tools', { SQL_PASSWORD: 'Swordfish42' }],
    schemaFails: ['temporal-admin-tools', { FAKE_FAIL_ON: '--db temporal update-schema' }],
    setupFresh: ['temporal-setup', { FAKE_HEALTH_FAILURES: '2' }],
    setupRerun: ['temporal-setup', { FAKE_NAMESPACE_EXISTS: '1', FAKE_EXISTING: 'TaskKind TaskUserId' }],
    setupConflict: ['temporal-setup', { FAKE_CONFLICT: 'TaskUserId' }],
    setupNoCluster: ['temporal-setup', { FAKE_HEALTH_FAILURES: '99', SETUP_WAIT_ATTEMPTS: '3' }],
  } satisfies Record<string, [string, Env]>;
  const runs = {} as Record<keyof typeof SCENARIOS, ScriptRun>;

  beforeAll(async () => {
    const entries = Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, [string, Env]][];
    const results = await Promise.all(entries.map(([, [service, env]]) => runOneShot(service, env)));
    entries.forEach(([key], i) => (runs[key] = results[i]));
  });

  const SCHEMA_DIR = '/etc/temporal/schema/mysql/v8';
  const SQL = '--plugin mysql8 --ep mysql -p 3306 -u root';

  it('scripts are POSIX sh with errexit and nounset', () => {
    for (const name of ['temporal-admin-tools', 'temporal-setup']) {
      const file = hostPathFor(services[name], argv(services[name].entrypoint)[1])!;
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith('#!/bin/sh\n')).toBe(true);
      expect(text).toMatch(/^set -eu$/m);
      const check = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
      expect({ file, status: check.status, stderr: check.stderr }).toEqual({ file, status: 0, stderr: '' });
    }
  });

  it('temporal-admin-tools creates and migrates temporal and temporal_visibility with the mysql8 plugin', () => {
    const run = runs.schemaOk;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([
      `${SQL} --db temporal create`,
      `${SQL} --db temporal setup-schema -v 0.0`,
      `${SQL} --db temporal update-schema -d ${SCHEMA_DIR}/temporal/versioned`,
      `${SQL} --db temporal_visibility create`,
      `${SQL} --db temporal_visibility setup-schema -v 0.0`,
      `${SQL} --db temporal_visibility update-schema -d ${SCHEMA_DIR}/visibility/versioned`,
    ]);
    // The password travels in SQL_PASSWORD, never on the command line.
    expect(run.calls.join('\n')).not.toContain('Swordfish42');
  });

  it('temporal-admin-tools fails (and stops) when a schema step fails, so the server never starts on a half schema', () => {
    const run = runs.schemaFails;
    expect(run.status).not.toBe(0);
    expect(run.calls.some((c) => c.includes('temporal_visibility'))).toBe(false);
  });

  describe('temporal-setup', () => {
    const expectedPairs = (() => {
      const flags = searchAttributeCliFlags();
      return flags.filter((_, i) => i % 2 === 1).sort();
    })();

    function createdAttributes(calls: string[]): string[] {
      return calls
        .filter((c) => c.startsWith('operator search-attribute create'))
        .map((c) => {
          const name = /--name (\S+)/.exec(c)?.[1];
          const type = /--type (\S+)/.exec(c)?.[1];
          expect(c).toContain('--namespace default');
          expect(c).toContain('--address temporal:7233');
          return `${name}=${type}`;
        })
        .sort();
    }

    it('lists exactly the custom search attributes of temporal/search-attributes.ts, with their types', () => {
      const listed = envOf(services['temporal-setup']).SEARCH_ATTRIBUTES.split(/\s+/).filter(Boolean);
      expect(new Set(listed).size).toBe(listed.length);
      expect([...listed].sort()).toEqual(expectedPairs);
      expect(listed.map((p) => p.split('=')[0]).sort()).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    });

    it('fits the MySQL visibility store, which pre-allocates 10 Keyword and 3 of each other type', () => {
      const perType = new Map<string, number>();
      for (const pair of expectedPairs) {
        const type = pair.split('=')[1];
        perType.set(type, (perType.get(type) ?? 0) + 1);
      }
      for (const [type, count] of perType) expect({ type, count: count <= (type === 'Keyword' ? 10 : 3) }).toEqual({ type, count: true });
    });

    it('waits for the cluster, creates the namespace, and registers every attribute', () => {
      const run = runs.setupFresh;
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.calls.filter((c) => c.startsWith('operator cluster health'))).toHaveLength(3);
      expect(run.calls).toContain('operator namespace create --namespace default --retention 168h --address temporal:7233');
      expect(createdAttributes(run.calls)).toEqual(expectedPairs);
      expect(run.calls[run.calls.length - 1]).toBe('operator search-attribute list --namespace default --address temporal:7233');
    });

    it('is re-runnable: keeps an existing namespace and tolerates attributes that already exist', () => {
      const run = runs.setupRerun;
      expect(run.status).toBe(0);
      expect(run.calls.some((c) => c.startsWith('operator namespace create'))).toBe(false);
      expect(run.stdout).toContain('search attribute TaskKind (Keyword) already registered');
      expect(createdAttributes(run.calls)).toEqual(expectedPairs);
    });

    it('fails on an attribute registered with a different type', () => {
      const run = runs.setupConflict;
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('TaskUserId');
    });

    it('gives up when the cluster never becomes healthy', () => {
      const run = runs.setupNoCluster;
      expect(run.status).not.toBe(0);
      expect(run.calls).toEqual(Array(3).fill('operator cluster health --address temporal:7233'));
    });
  });
});
