/** Every relative link in README.md and docs/*.md points at a file (or heading) that exists. */

import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PAGES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Markdown without fenced blocks and inline code, where link syntax is only text. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

describe.each(PAGES)('%s', (page) => {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
  const relative = links(text).filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));

  it('links only to files that exist', () => {
    const missing = relative
      .map((l) => decodeURI(l.split('#')[0]))
      .filter((target) => target !== '' && !fs.existsSync(path.resolve(ROOT, path.dirname(page), target)));
    expect(missing).toEqual([]);
  });

  it('links only to headings that exist in the page they name', () => {
    const broken = relative
      .filter((l) => l.includes('#'))
      .filter((l) => {
        const [file, anchor] = l.split('#');
        const target = file === '' ? path.join(ROOT, page) : path.resolve(ROOT, path.dirname(page), decodeURI(file));
        if (!target.endsWith('.md') || !fs.existsSync(target)) return false; // a code file's line anchors are not checked; a missing file is reported above
        return !anchors(fs.readFileSync(target, 'utf8')).has(anchor);
      });
    expect(broken).toEqual([]);
  });
});

describe('the link checker', () => {
  it('finds links outside code and GitHub-style anchors', () => {
    expect(links('see [a](docs/api.md#x) and `[b](nope.md)`\n```\n[c](nope.md)\n```\n[d](https://x.example)')).toEqual(['docs/api.md#x', 'https://x.example']);
    expect([...anchors('# Midjourney, end to end\n## `GET /healthz` and co.\n## Midjourney, end to end')]).toEqual([
      'midjourney-end-to-end',
      'get-healthz-and-co',
      'midjourney-end-to-end-1',
    ]);
  });
});
