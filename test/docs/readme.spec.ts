import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeAppModule, readmeE2eDiff, readmeInstallLine } from '../consumers/consumer-project.js';
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

  it('gives one install line per Nest major, each with every package the Quick start example imports', () => {
    const example = readmeAppModule();
    const imported = [...example.matchAll(/from '([^'.][^']*)'/g)]
      .map(([, specifier]) =>
        specifier!
          .split('/')
          .slice(0, specifier!.startsWith('@') ? 2 : 1)
          .join('/'),
      )
      .filter((name) => name !== '@nestjs/common'); // every Nest app has it
    for (const major of [11, 12] as const) {
      const [npm, install, ...packages] = readmeInstallLine(major);
      expect([npm, install]).toEqual(['npm', 'install']);
      const names = packages.map((spec) => spec.replace(/(?<=.)@[^@]*$/, ''));
      for (const name of new Set(imported)) expect(names, `Nest ${major}: ${name}`).toContain(name);
    }
    // @nestjs/config 12 is ESM only: a Nest 11 app's Jest cannot load it.
    expect(readmeInstallLine(11)).toContain('@nestjs/config@^4');
  });

  it('the Quick start example is the whole app module: config, hotglue, throttler, controller and the stand-in auth', () => {
    const example = readmeAppModule();
    for (const piece of [
      'ConfigModule.forRoot()',
      'HotglueModule.forRootAsync({ ...hotglueConfig.asProvider(), isGlobal: true })',
      'ThrottlerModule.forRoot(',
      'export class TokenController',
      'export class AuthGuard',
      'export interface AuthedRequest',
      'controllers: [TokenController]',
      'providers: [AuthGuard]',
    ])
      expect(example).toContain(piece);
    // One file, so it builds as is in a CommonJS (CLI 11) and an ESM (CLI 12) app: no relative import.
    expect(example).not.toMatch(/from '\./);
  });

  it("the e2e diff applies to both CLIs' scaffold specs, only adds what it needs, and closes the app once", () => {
    const diff = readmeE2eDiff();
    const lines = diff.split('\n').filter((line) => line !== '');
    const context = lines.filter((line) => line.startsWith(' ')).map((line) => line.slice(1));
    const removed = lines.filter((line) => line.startsWith('-') && !line.startsWith('---'));
    const added = lines.filter((line) => line.startsWith('+') && !line.startsWith('+++'));
    for (const variant of ['nest-11-cli', 'nest-12-cli']) {
      const scaffold = read(`test/consumers/variants/${variant}/test/app.e2e-spec.ts`).split('\n');
      // Every context and removed line is a line of that scaffold (patch with no fuzz: test/consumers).
      for (const line of [...context, ...removed.map((line) => line.slice(1))])
        expect(scaffold, `${variant}: ${line}`).toContain(line);
    }
    // Only the scaffold's "Hello World" test goes; the import, start and stop of the test env come in.
    expect(removed.join('\n')).toContain('Hello World!');
    expect(added).toContain(
      "+import { type HotglueTestEnv, startHotglueTestEnv } from 'nestjs-hotglue/testing';",
    );
    expect(added.some((line) => line.includes('hotglue = await startHotglueTestEnv();'))).toBe(true);
    expect(added.some((line) => line.includes('await hotglue?.close();'))).toBe(true);
    // The scaffold's afterEach closes the app; the diff does not close it again.
    expect(added.some((line) => line.includes('app.close()'))).toBe(false);
    for (const status of ['.expect(200)', '.expect(401)', '.expect(403)', '.expect(429)'])
      expect(
        added.some((line) => line.includes(status)),
        status,
      ).toBe(true);
  });

  it('names the sample, the whole suite and the fast loop on its first screen', () => {
    const quickStart = read('README.md').slice(0, read('README.md').indexOf('## Install'));
    for (const command of [
      'npm install && npm start',
      'npm test',
      'npm run test:unit',
      'npx hotglue-emulator --write-env .env',
    ])
      expect(quickStart).toContain(command);
  });

  it.each(markdown)('%s links only to files that are in the repository', (file) => {
    const links = [...read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map(([, target]) => target!);
    const local = links.filter((target) => !/^[a-z]+:/i.test(target));
    for (const target of local) expect(existsSync(join(REPO_ROOT, dirname(file), target)), target).toBe(true);
  });
});
