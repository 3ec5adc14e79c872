// The house as the imports draw it (docs/architecture.md): every import of every src/**/*.ts file, read from
// TypeScript's own syntax tree (static imports, `export ... from`, `import type`, dynamic `import()`), resolved
// to a file, then lifted to rooms. A room is a folder of src/hotglue (`client`, `webhooks/dedupe`); a file
// directly in src/hotglue (`hotglue.module.ts`) is a room of its own. An import that names only types is
// marked `typeOnly`: the compiler erases it, so it loads nothing at run time and draws no arrow for loops.
// `npx tsx test/architecture/import-graph.ts` prints the rooms and their arrows.
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
  /**
   * `import type`, `export type ... from`, or named bindings that are all `type`: erased by the compiler
   * (`verbatimModuleSyntax` is off), so the file it names is never loaded through this import.
   */
  readonly typeOnly?: boolean;
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

/** The specifiers a file imports, each with whether only types cross (the compiler then drops it). */
export function importsOf(text: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((element) => element.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named = node.exportClause;
      const typeOnly =
        node.isTypeOnly ||
        (named !== undefined &&
          ts.isNamedExports(named) &&
          named.elements.length > 0 &&
          named.elements.every((element) => element.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The imports of every .ts file under `dir`. */
export function importsUnder(dir: string): ImportEdge[] {
  return sourceFiles(dir).flatMap((file) => {
    const from = posix(relative(repoRoot, file));
    return importsOf(readFileSync(file, 'utf8')).map(({ specifier, typeOnly }) => {
      const to = resolveSpecifier(file, specifier);
      return { from, specifier, ...(to ? { to: posix(relative(repoRoot, to)) } : {}), typeOnly };
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = importsUnder(libRoot);
  const runtime = roomGraph(edges.filter((edge) => !edge.typeOnly));
  const types = roomGraph(edges);
  for (const cycle of loops(runtime)) console.log(`loop: ${cycle.join(' <-> ')}`);
  for (const room of [...types.keys()].sort()) {
    const values = [...(runtime.get(room) ?? [])].sort();
    const typeArrows = [...(types.get(room) ?? [])].filter((to) => !values.includes(to)).sort();
    const typeNote = typeArrows.length ? `  (types: ${typeArrows.join(', ')})` : '';
    console.log(`${room} -> ${values.join(', ')}${typeNote}`);
  }
}
