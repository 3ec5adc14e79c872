import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../sample/spawn-sample.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const markdown = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).map((name) => `docs/${name}`)];

describe('README and docs', () => {
  it('keeps the README for a library user: at most 25 KB, no tracker language', () => {
    const readme = read('README.md');
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(25 * 1024);
    expect(readme).not.toMatch(/\bmet \d+ of \d+|from the issues?\b|ENGINEERING\.md/i);
  });

  it("runs the README's AppModule spec verbatim in the consumer app", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Testing your AppModule'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(read('test/consumers/app/test/app.e2e-spec.ts'));
  });

  it.each(markdown)('%s links only to files that are in the repository', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map(([, target]) => target!);
    const local = links.filter((target) => !/^[a-z]+:/i.test(target));
    for (const target of local) expect(existsSync(join(REPO_ROOT, dirname(file), target)), target).toBe(true);
  });
});
