import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ImportEdge,
  importsOf,
  importsUnder,
  LIB,
  libRoot,
  loops,
  repoRoot,
  roomGraph,
  roomOf,
  srcRoot,
} from './import-graph.js';

// The library's root holds the module and little else (docs/architecture.md); every concept has a folder.
const MAX_ROOT_FILES = 10;

const libImports = importsUnder(libRoot);
// Loops are those of the code that runs: an import that names only types is erased by the compiler, loads
// nothing, and so may cross between folders either way (a folder may name another's types in its signatures).
const runtimeImports = libImports.filter((edge) => !edge.typeOnly);
const graph = roomGraph(runtimeImports);
const isSpec = (edge: ImportEdge) => edge.from.endsWith('.spec.ts');

// The source of every package entry: `exports` names the built declarations, which mirror src/.
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { import: { types: string } }>;
};
const publicEntries = new Set(
  Object.values(manifest.exports)
    .filter((target) => typeof target !== 'string')
    .map((target) => target.import.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')),
);

describe('the house: imports between the rooms of src/hotglue', () => {
  it('finds the source of each package entry it checks against', () => {
    expect([...publicEntries]).toContain('src/hotglue/index.ts');
    expect([...publicEntries]).toContain('src/hotglue-testing/index.ts');
    for (const entry of publicEntries) expect(existsSync(join(repoRoot, entry)), entry).toBe(true);
  });

  it('has no loop between rooms (no two folders import each other, directly or around a circle)', () => {
    const found = loops(graph).map((loop) => {
      const members = new Set(loop);
      const arrows = runtimeImports
        .filter((edge) => edge.to?.startsWith(LIB))
        .filter((edge) => {
          const from = roomOf(edge.from);
          const to = roomOf(edge.to!);
          return from !== to && members.has(from) && members.has(to);
        })
        .map((edge) => `${edge.from} -> ${edge.to}`);
      return `${loop.join(' <-> ')}:\n  ${arrows.join('\n  ')}`;
    });
    expect(found, 'move the shared piece to a room below both (docs/architecture.md)').toEqual([]);
  });

  it(`keeps at most ${MAX_ROOT_FILES} files at the library's root, the barrel included (specs aside)`, () => {
    const rootFiles = readdirSync(libRoot, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      .map((entry) => entry.name);
    expect(rootFiles).toContain('index.ts');
    expect(rootFiles.length, rootFiles.join(', ')).toBeLessThanOrEqual(MAX_ROOT_FILES);
  });

  it('library code imports nothing outside src/hotglue (not the emulator, the sample, the CLI or tests)', () => {
    const outside = libImports
      .filter((edge) => !isSpec(edge) && edge.specifier.startsWith('.') && !edge.to?.startsWith(LIB))
      .map((edge) => `${edge.from} -> ${edge.to ?? edge.specifier}`);
    expect(outside).toEqual([]);
  });

  it('the sample imports the library and the testing kit only through their package entries', () => {
    // The testing kit ships in the same package and may import the library's internal files (so internals
    // stay out of the public API); the sample is built as a host app is, through the entries only.
    const deep = importsUnder(join(srcRoot, 'sample'))
      .filter((edge) => !isSpec(edge)) // specs are tests, which may reach internals as test/ does
      .filter((edge) => edge.to?.startsWith(LIB) || edge.to?.startsWith('src/hotglue-testing/'))
      .filter((edge) => !publicEntries.has(edge.to!))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(deep).toEqual([]);
  });
});

describe('the house measure itself', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, specifier: '', to });

  it('lifts imports to rooms: folders, top-level files, and a top-level spec into its source room', () => {
    expect(roomOf('src/hotglue/webhooks/dedupe/redis-webhook-store.ts')).toBe('webhooks/dedupe');
    expect(roomOf('src/hotglue/hotglue.module.ts')).toBe('hotglue.module.ts');
    expect(roomOf('src/hotglue/hotglue.module.spec.ts')).toBe('hotglue.module.ts');
  });

  it('reports two folders that import each other, and a loop around three', () => {
    const mutual = roomGraph([
      edge('src/hotglue/client/a.ts', 'src/hotglue/credentials/b.ts'),
      edge('src/hotglue/credentials/b.ts', 'src/hotglue/client/c.ts'),
      edge('src/hotglue/client/c.ts', 'src/hotglue/client/a.ts'),
    ]);
    expect(loops(mutual)).toEqual([['client', 'credentials']]);
    const circle = roomGraph([
      edge('src/hotglue/a/x.ts', 'src/hotglue/b/x.ts'),
      edge('src/hotglue/b/x.ts', 'src/hotglue/c/x.ts'),
      edge('src/hotglue/c/x.ts', 'src/hotglue/a/x.ts'),
    ]);
    expect(loops(circle)).toEqual([['a', 'b', 'c']]);
  });

  it('marks imports that name only types, which the compiler erases', () => {
    const read = (text: string) =>
      importsOf(text).map(({ specifier, typeOnly }) => `${specifier}:${typeOnly}`);
    expect(
      read(`
        import type { A } from './a.js';
        import { type B, type C } from './b.js';
        import { type D, E } from './c.js';
        import F from './d.js';
        import './e.js';
        export type * from './f.js';
        export type { G } from './g.js';
        export { H } from './h.js';
        export * from './i.js';
        const j = () => import('./j.js');
      `),
    ).toEqual([
      './a.js:true',
      './b.js:true',
      './c.js:false',
      './d.js:false',
      './e.js:false',
      './f.js:true',
      './g.js:true',
      './h.js:false',
      './i.js:false',
      './j.js:false',
    ]);
  });

  it('reads type-only imports, re-exports and dynamic imports as arrows', () => {
    const dynamic = importsUnder(join(libRoot, 'telemetry')).filter(
      (e) => e.from === 'src/hotglue/telemetry/load-telemetry.ts',
    );
    expect(dynamic.map((e) => e.to)).toContain('src/hotglue/telemetry/otel-telemetry.ts'); // `await import()`
    const barrel = libImports.filter((e) => e.from === 'src/hotglue/index.ts');
    const typeArrows = barrel.filter((e) => e.typeOnly).map((e) => e.to);
    expect(typeArrows).toContain('src/hotglue/client/api-types.ts'); // `export type * as ... from`
    const apiTypes = importsUnder(join(libRoot, 'client')).filter(
      (e) => e.from === 'src/hotglue/client/api-types.ts' && e.typeOnly,
    );
    expect(apiTypes.map((e) => e.to)).toContain('src/hotglue/client/models.ts'); // `export type * from`
    expect(typeArrows).toContain('src/hotglue/redis/redis-client.ts'); // `export type { ... } from`
    expect(barrel.filter((e) => !e.typeOnly).map((e) => e.to)).toContain('src/hotglue/hotglue.module.ts');
  });
});
