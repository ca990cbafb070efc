import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The layering rules in eslint.config.mjs, checked by linting small probe files that break
 * them: a rule that silently stopped matching (a renamed folder, a resolver that cannot read
 * TypeScript) would otherwise let every violation through while `npm run lint` stays green.
 */
const root = path.resolve(__dirname, '../..');
const eslint = path.join(root, 'node_modules/.bin/eslint');
const run = promisify(execFile);

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints `code` as if it were the file `asPath` of the tree; returns the messages of the rules that fired. */
async function lintAs(asPath: string, code: string): Promise<LintMessage[]> {
  const linting = run(eslint, ['--format', 'json', '--stdin', '--stdin-filename', asPath], { cwd: root, maxBuffer: 1 << 24 });
  linting.child.stdin?.end(code);
  // ESLint exits 1 when it reports errors; its JSON is on stdout either way.
  const { stdout } = await linting.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '[]' }));
  return (JSON.parse(stdout) as { messages: LintMessage[] }[]).flatMap((r) => r.messages);
}

// The probes' code is built at run time so this file itself breaks no rule.
const importing = (what: string, from: string) => `import ${what} from '${from}';\nexport const probe = [${what.replace(/[{}]/g, '')}];\n`;

describe('the layering rules', () => {
  jest.setTimeout(60_000);

  test('a workflow may not import a service, a Node built-in or a library, but may import their types', async () => {
    const [service, builtin, typeOnly] = await Promise.all([
      lintAs('workflows/probe.ts', importing('{ createTasks }', '../services/tasks')),
      lintAs('workflows/suno/probe.ts', importing('fs', 'node:fs')),
      lintAs('workflows/probe.ts', "import type { Services } from '../services';\nexport type Probe = Services;\n"),
    ]);
    expect(service.map((m) => m.ruleId)).toContain('no-restricted-imports');
    expect(builtin.map((m) => m.ruleId)).toContain('no-restricted-imports');
    expect(typeOnly.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  test('only the worker imports activities', async () => {
    const [fromApi, fromWorker] = await Promise.all([
      lintAs('api/probe.ts', importing('{ createActivities }', '../activities')),
      lintAs('worker/probe.ts', importing('{ createActivities }', '../activities')),
    ]);
    expect(fromApi.map((m) => m.message).join('\n')).toMatch(/Only worker\/ imports activities/);
    expect(fromWorker.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  test('the domain module imports nothing but itself', async () => {
    const messages = await lintAs('domain/probe.ts', importing('{ loadConfig }', '../lib/config'));
    expect(messages.map((m) => m.message).join('\n')).toMatch(/domain\/ imports only its own files/);
  });

  test('an import cycle is reported', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'lib', '.cycle-probe-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ts'), importing('{ b }', './b'));
      fs.writeFileSync(path.join(dir, 'b.ts'), "import { probe } from './a';\nexport const b = () => probe;\n");
      const { stdout } = await run(eslint, ['--format', 'json', '--no-ignore', path.join(dir, 'a.ts')], { cwd: root }).catch((err: { stdout?: string }) => ({
        stdout: err.stdout ?? '[]',
      }));
      const rules = (JSON.parse(stdout) as { messages: LintMessage[] }[]).flatMap((r) => r.messages.map((m) => m.ruleId));
      expect(rules).toContain('import-x/no-cycle');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
