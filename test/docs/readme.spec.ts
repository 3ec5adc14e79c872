import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../sample/spawn-sample.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const markdown = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  '.changeset/README.md',
  ...readdirSync(join(REPO_ROOT, 'docs')).map((name) => `docs/${name}`),
];

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

  it('shows the auth guard the AppModule spec assumes, as the consumer apps run it', () => {
    const readme = read('README.md');
    const section = readme.slice(
      readme.indexOf('## Testing your AppModule'),
      readme.indexOf('## The sample app'),
    );
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, body]) => body);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toBe(read('test/consumers/app/src/auth.guard.ts'));
    expect(blocks[0]).toContain("headers: { 'x-user': 'alice' }");
    expect(blocks[0]).toContain('/acme/linkedSources');
    expect(blocks[1]).toContain("alice: ['acme']");
  });

  it("adds to the CLI's default e2e spec the lines the complete spec uses, and only adds", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Testing your AppModule'));
    const diff = /```diff\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const lines = diff.split('\n').filter((line) => line !== '');
    // Unchanged lines of the scaffold (` `) and added ones (`+`); nothing of it is removed or rewritten.
    expect(lines.every((line) => line.startsWith(' ') || line.startsWith('+'))).toBe(true);
    const added = lines.filter((line) => line.startsWith('+')).map((line) => line.slice(1));
    const complete = read('test/consumers/app/test/app.e2e-spec.ts');
    // The same import and the same start and stop of the test environment as the complete spec.
    for (const line of [
      "import { type HotglueTestEnv, startHotglueTestEnv } from 'nestjs-hotglue/testing';",
      '  let hotglue: HotglueTestEnv;',
      '    await hotglue?.close();',
    ]) {
      expect(added).toContain(line);
      expect(complete).toContain(line);
    }
    expect(added.some((line) => line.includes('hotglue = await startHotglueTestEnv();'))).toBe(true);
    expect(complete).toContain('hotglue = await startHotglueTestEnv();');
    // Started before the scaffold's beforeEach compiles AppModule, stopped after its app is closed.
    const order = ['beforeAll(', 'afterEach(', 'afterAll(', 'beforeEach('].map((hook) => diff.indexOf(hook));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(diff.indexOf('await app?.close()')).toBeGreaterThan(order[1]!);
  });

  it.each(markdown)('%s links only to files that are in the repository', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map(([, target]) => target!);
    const local = links.filter((target) => !/^[a-z]+:/i.test(target));
    for (const target of local) expect(existsSync(join(REPO_ROOT, dirname(file), target)), target).toBe(true);
  });
});
