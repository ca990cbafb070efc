/** Dockerfile and .dockerignore, checked statically. */

import fs from 'node:fs';
import path from 'node:path';
import { ROOT, argv, services } from './support';

describe('Dockerfile', () => {
  interface Instruction {
    keyword: string;
    args: string;
  }
  const instructions: Instruction[] = fs
    .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const stages: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [from, as, name] = ins.args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, body: [] });
    } else {
      stages[stages.length - 1]?.body.push(ins);
    }
  }
  const runtime = stages[stages.length - 1];
  const build = stages[0];
  const runs = (stage: typeof runtime) =>
    stage.body
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');

  it('is multi-stage on a glibc (Debian) Node 24 base, never Alpine/musl', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.from).toMatch(/^node:24(\.\d+){0,2}-(bookworm|trixie)(-slim)?$/);
      expect(stage.from).not.toMatch(/alpine|musl/);
    }
  });

  it('compiles in the build stage with the lockfile and prunes dev dependencies', () => {
    const script = runs(build);
    expect(script).toMatch(/\bnpm install --no-save\b/);
    expect(script).toMatch(/\bnpm run build\b/);
    expect(script).toMatch(/\bnpm prune --omit=dev\b/);
    expect(script.indexOf('npm run build')).toBeLessThan(script.indexOf('npm prune'));
  });

  it("builds the dashboard in the build stage: `npm run build` includes it, so the runtime's dist/ carries dist/web", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.build).toMatch(/scripts\/build-web\.sh/);
    // Front-end packages are build tools here, never the server's runtime dependencies.
    expect(Object.keys(pkg.dependencies).filter((d) => /^(react|react-dom|vite|@mantine\/|@tanstack\/|recharts)/.test(d))).toEqual([]);
  });

  it('ships only dist/ and production node_modules from the build stage', () => {
    const copies = runtime.body.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual(expect.arrayContaining([`--from=${build.name} /app/node_modules ./node_modules`, `--from=${build.name} /app/dist ./dist`]));
    expect(copies.every((c) => c.startsWith('--from='))).toBe(true);
    expect(runs(runtime)).not.toMatch(/\bnpm (ci|install)\b/);
  });

  it('runs as the non-root node user with NODE_ENV=production and the API as default command', () => {
    const users = runtime.body.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users[users.length - 1]).toBe('node');
    const lastUser = runtime.body.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.body.slice(lastUser).some((i) => i.keyword === 'RUN')).toBe(false);
    expect(runtime.body).toContainEqual({ keyword: 'ENV', args: 'NODE_ENV=production' });
    const cmd = runtime.body.filter((i) => i.keyword === 'CMD').map((i) => JSON.parse(i.args));
    expect(cmd).toEqual([argv(services['taskhub-api'].command)]);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local data, VCS and secrets out of the build context', () => {
    const entries = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(entries).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.tools', '.git', 'coverage', '.env']));
    // Sources and the lockfile must stay in the context for `npm install` + `npm run build`.
    expect(entries).not.toEqual(expect.arrayContaining(['package-lock.json']));
  });
});
