// The house as the imports draw it (docs/architecture.md): every import of every src/**/*.ts file, read by
// TypeScript's own pre-processor (static imports, `export ... from`, `import type`, dynamic `import()`),
// resolved to a file, then lifted to rooms. A room is a folder of src/hotglue (`client`, `webhooks/dedupe`);
// a file directly in src/hotglue (`hotglue.module.ts`) is a room of its own. `npx tsx
// test/architecture/import-graph.ts` prints the rooms, their arrows and their floors (those of the shipped
// code: specs left out).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const srcRoot = join(repoRoot, 'src');
export const libRoot = join(srcRoot, 'hotglue');
/** The library's folder as `ImportEdge` paths spell it. */
export const LIB = 'src/hotglue/';

export interface ImportEdge {
  /** Importing file, relative to the repository with `/` separators (`src/hotglue/client/transport.ts`). */
  readonly from: string;
  /** The specifier as written (`../hotglue.options.js`, `@nestjs/common`). */
  readonly specifier: string;
  /** The imported file relative to the repository, for a relative specifier that resolves to a file. */
  readonly to?: string;
}

const posix = (path: string) => path.split(sep).join('/');

/** Every .ts file under `dir` (specs included: they sit beside their source and obey the same rules). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(fromFile), specifier);
  const candidates = [
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    `${target}.ts`,
    target,
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** The imports of every .ts file under `dir`. */
export function importsUnder(dir: string): ImportEdge[] {
  return sourceFiles(dir).flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    return info.importedFiles.map(({ fileName: specifier }) => {
      const to = resolveSpecifier(file, specifier);
      const from = posix(relative(repoRoot, file));
      return { from, specifier, ...(to ? { to: posix(relative(repoRoot, to)) } : {}) };
    });
  });
}

/**
 * The room of a file inside src/hotglue: its folder (`webhooks/dedupe/x.ts` is in `webhooks/dedupe`, a room
 * of its own below `webhooks`), or the file itself when it sits in src/hotglue (a spec there is in its
 * source's room).
 */
export function roomOf(path: string): string {
  const inLib = path.slice(LIB.length);
  const folder = posix(dirname(inLib));
  return folder === '.' ? inLib.replace(/\.spec\.ts$/, '.ts') : folder;
}

export type RoomGraph = Map<string, Set<string>>;

/** Arrows between rooms of src/hotglue (an import inside one room draws none). */
export function roomGraph(edges: readonly ImportEdge[]): RoomGraph {
  const graph: RoomGraph = new Map();
  for (const edge of edges) {
    if (!edge.from.startsWith(LIB)) continue;
    const from = roomOf(edge.from);
    if (!graph.has(from)) graph.set(from, new Set());
    if (!edge.to?.startsWith(LIB)) continue;
    const to = roomOf(edge.to);
    if (!graph.has(to)) graph.set(to, new Set());
    if (to !== from) graph.get(from)?.add(to);
  }
  return graph;
}

/** Strongly connected components with more than one room: each is a loop between rooms (Tarjan). */
export function loops(graph: RoomGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (room: string) => {
    indices.set(room, index);
    low.set(room, index);
    index += 1;
    stack.push(room);
    onStack.add(room);
    for (const next of graph.get(room) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(room, Math.min(low.get(room)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(room, Math.min(low.get(room)!, indices.get(next)!));
      }
    }
    if (low.get(room) === indices.get(room)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== room);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const room of [...graph.keys()].sort()) if (!indices.has(room)) visit(room);
  return found;
}

/**
 * The floor of each room in a graph without loops: 1 for a room that imports no other room, else one above
 * the highest room it imports. The house's height is the highest floor.
 */
export function floors(graph: RoomGraph): Map<string, number> {
  const floor = new Map<string, number>();
  const of = (room: string): number => {
    const known = floor.get(room);
    if (known !== undefined) return known;
    floor.set(room, Number.NaN); // a loop would recurse forever; loops() reports it first
    const below = [...(graph.get(room) ?? [])].map(of);
    const value = 1 + Math.max(0, ...below);
    floor.set(room, value);
    return value;
  };
  for (const room of graph.keys()) of(room);
  return floor;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = importsUnder(libRoot);
  const graph = roomGraph(edges);
  const cycles = loops(graph);
  for (const cycle of cycles) console.log(`loop: ${cycle.join(' <-> ')}`);
  if (cycles.length === 0) {
    const shipped = roomGraph(edges.filter((edge) => !edge.from.endsWith('.spec.ts')));
    const floor = floors(shipped);
    const rooms = [...floor].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [room, level] of rooms) {
      console.log(
        `${String(level).padStart(2)}  ${room} -> ${[...(shipped.get(room) ?? [])].sort().join(', ')}`,
      );
    }
    console.log(`floors: ${Math.max(...floor.values())}`);
  }
}
