import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  floors,
  type ImportEdge,
  importsUnder,
  LIB,
  libRoot,
  loops,
  repoRoot,
  roomGraph,
  roomOf,
  srcRoot,
} from './import-graph.js';

// The height of the house today (docs/architecture.md). Lower it when a change makes the house lower; raising
// it needs a note in docs/architecture.md saying which new floor was needed and why.
const MAX_FLOORS = 13;

const libImports = importsUnder(libRoot);
const graph = roomGraph(libImports);
const isSpec = (edge: ImportEdge) => edge.from.endsWith('.spec.ts');
// Floors are those of the shipped code: a spec importing a fixture from higher up adds no floor (its arrows
// still count for loops).
const shipped = roomGraph(libImports.filter((edge) => !isSpec(edge)));

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
      const arrows = libImports
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

  it(`is at most ${MAX_FLOORS} floors high, the barrel included`, () => {
    const height = Math.max(...floors(shipped).values());
    expect(height).toBeGreaterThan(1);
    expect(height).toBeLessThanOrEqual(MAX_FLOORS);
  });

  it('library code imports nothing outside src/hotglue (not the emulator, the sample, the CLI or tests)', () => {
    const outside = libImports
      .filter((edge) => !isSpec(edge) && edge.specifier.startsWith('.') && !edge.to?.startsWith(LIB))
      .map((edge) => `${edge.from} -> ${edge.to ?? edge.specifier}`);
    expect(outside).toEqual([]);
  });

  it('the sample and the testing kit import the library only through its package entries', () => {
    const deep = [...importsUnder(join(srcRoot, 'sample')), ...importsUnder(join(srcRoot, 'hotglue-testing'))]
      .filter((edge) => !isSpec(edge)) // specs are tests, which may reach internals as test/ does
      .filter((edge) => edge.to?.startsWith(LIB) || edge.to?.startsWith('src/hotglue-testing/'))
      .filter((edge) => !edge.from.startsWith('src/hotglue-testing/') || edge.to?.startsWith(LIB))
      .filter((edge) => !publicEntries.has(edge.to!))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(deep).toEqual([]);
  });
});

describe('the house measure itself', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, specifier: '', to });

  it('lifts imports to rooms: folders, top-level files, and a top-level spec into its source room', () => {
    expect(roomOf('src/hotglue/webhooks/dedupe/redis-webhook-store.ts')).toBe('webhooks/dedupe');
    expect(roomOf('src/hotglue/hotglue.options.ts')).toBe('hotglue.options.ts');
    expect(roomOf('src/hotglue/escape-control-characters.spec.ts')).toBe('escape-control-characters.ts');
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

  it('counts floors from the rooms that import no other room', () => {
    const house = roomGraph([
      edge('src/hotglue/index.ts', 'src/hotglue/client/x.ts'),
      edge('src/hotglue/index.ts', 'src/hotglue/redis/x.ts'),
      edge('src/hotglue/client/x.ts', 'src/hotglue/request/x.ts'),
      edge('src/hotglue/request/x.ts', 'src/hotglue/hotglue.errors.ts'),
    ]);
    expect(loops(house)).toEqual([]);
    expect(Object.fromEntries(floors(house))).toEqual({
      'index.ts': 4,
      client: 3,
      request: 2,
      redis: 1,
      'hotglue.errors.ts': 1,
    });
  });

  it('reads type-only imports, re-exports and dynamic imports as arrows', () => {
    const dynamic = importsUnder(join(libRoot, 'telemetry')).filter(
      (e) => e.from === 'src/hotglue/telemetry/load-telemetry.ts',
    );
    expect(dynamic.map((e) => e.to)).toContain('src/hotglue/telemetry/otel-telemetry.ts'); // `await import()`
    const barrel = libImports.filter((e) => e.from === 'src/hotglue/index.ts').map((e) => e.to);
    expect(barrel).toContain('src/hotglue/client/models.ts'); // `export type * from`
    expect(barrel).toContain('src/hotglue/redis/redis-client.ts'); // `export type { ... } from`
  });
});
