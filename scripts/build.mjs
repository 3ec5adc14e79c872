// `npm run build`: the repository's ESM build (the sample app, `dist/main.js`, and the ESM type declarations
// the package ships) and the package's CommonJS build (`dist/cjs`: every entry and both bins), then thin ESM
// entries (`dist/esm`) that re-export the CommonJS build. One implementation behind both `import` and
// `require` means one identity per class and injection token when an app loads both formats (the "dual package
// hazard" of https://nodejs.org/api/packages.html, avoided by an ESM wrapper over CommonJS as that page
// suggests). Names are listed explicitly so bundlers and Node's linker see them.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = (project) =>
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: root,
    stdio: 'inherit',
  });

rmSync(dist, { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.cjs.json');
// dist/ lies under this package's "type": "module"; the CommonJS build needs its own marker.
writeFileSync(join(dist, 'cjs/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

// One file per entry and bin instead of the ~140 files tsc writes: resolving, reading and wrapping each file
// is most of what importing the package costs, and a cold start pays it on every process. esbuild bundles
// tsc's CommonJS output (tsc emits the decorator metadata Nest's injector reads; esbuild does not), keeps
// every package external (dependencies and peers resolve in the app, optional peers stay unloaded until
// used) and keeps each entry's own modules inside it. Every class and injection token must keep one identity
// across entries, so another entry's file stays a `require` of that file, and a module of the main entry
// that another entry imports becomes a `require` of the main entry (checked: it must export all that module
// exports). Only the stateless helpers in `mayCopy` may be copied into two bundles. The main entry keeps what
// boot does not use in a second file, read at first use (`evaluateOnFirstUse`, `moveLazyModules` below).
const mayCopy = [
  'redis/redis-client.js',
  'options/environment-names.js',
  'token/rs256.js',
  'host-guard.js',
  // internals the testing kit imports (stateless: functions, constants, the options schema)
  'webhooks/webhook-signature.js',
  'client/credentials-parse.js',
  'options/hotglue.options.js',
  'internal/secret-names.js',
  'internal/tenant-id.js',
  'internal/escape-control-characters.js',
  'internal/option-schema.js',
  'client/credentials.js',
  'provider/provider-registry.js',
  // a class, but nothing compares its identity: the webhook route and the emulator each make their own
  'webhooks/raw-body/body-budget.js',
];
// Folders of the main entry evaluated at first use (see `evaluateOnFirstUse`).
const lazyFolders = ['webhooks/', 'provider/'];
const isLazy = (path) => lazyFolders.some((folder) => path.startsWith(join(dirname(mainPath), folder)));
const LAZY_MODULES = 'index.lazy.js';
const copyAllowed = (file) =>
  mayCopy.some((name) => file.endsWith(name)) || /^valibot-subset:|node_modules\/valibot\//.test(file); // pure functions
const entries = [
  ...Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [] : [target.require.default],
  ),
  ...Object.values(manifest.bin),
].map((file) => join(root, file));
const bins = Object.values(manifest.bin).map((file) => join(root, file));

// valibot, the options' schema library, goes into the bundles as the functions the schemas call and no more:
// requiring its whole CommonJS build (one 210 KB file, ~320 functions) cost about 9 ms at every start, the
// ~30 functions used about 3 (CPU, after Nest core; the package stays a dependency for the declarations,
// which name its types). Every `v.name` in the sources that valibot exports as a function is kept; a name
// missed would fail the first `require` of the entry below (schemas are built at load) or the specs.
const valibot = require('valibot');
const valibotNames = [
  ...new Set(
    readdirSync(join(root, 'src/hotglue'), { recursive: true })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .flatMap((file) => [...readFileSync(join(root, 'src/hotglue', file), 'utf8').matchAll(/\bv\.(\w+)/g)])
      .map((match) => match[1])
      .filter((name) => typeof valibot[name] === 'function'),
  ),
].sort();
const valibotDir = dirname(require.resolve('valibot')); // its CommonJS build; the ES module lies beside it
const valibotNotice = `/*! Bundled: valibot ${JSON.parse(readFileSync(join(valibotDir, '../package.json'), 'utf8')).version}, https://valibot.dev\n${readFileSync(join(valibotDir, '../LICENSE.md'), 'utf8').trim()}\n*/\n`;
const valibotSubset = {
  name: 'valibot-subset',
  setup(builder) {
    builder.onResolve({ filter: /^valibot$/ }, () => ({ path: 'valibot', namespace: 'valibot-subset' }));
    builder.onLoad({ filter: /.*/, namespace: 'valibot-subset' }, () => ({
      contents: `export { ${valibotNames.join(', ')} } from ${JSON.stringify(join(valibotDir, 'index.mjs'))};\n`,
      resolveDir: valibotDir,
    }));
  },
};
const mainEntry = join(root, manifest.exports['.'].require.default);
const mainPath = relative(root, mainEntry); // as esbuild names it in the bundle
const mainNames = new Set(Object.keys(require(mainEntry))); // tsc's output, before it is replaced
let mainInputs = new Set();
const bundles = [];
for (const entry of entries) {
  const external = (target) => {
    let from = relative(dirname(entry), target);
    if (!from.startsWith('.')) from = `./${from}`;
    return { path: from, external: true };
  };
  const result = await build({
    entryPoints: [entry],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    packages: 'external',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [
      valibotSubset,
      {
        name: 'one-identity-per-module',
        setup(builder) {
          builder.onResolve({ filter: /^\./ }, ({ path, resolveDir }) => {
            const target = join(resolveDir, path);
            if (target === entry) return undefined;
            if (entries.includes(target)) return external(target);
            if (entry === mainEntry || copyAllowed(target) || !mainInputs.has(relative(root, target)))
              return undefined;
            const missing = Object.keys(require(target)).filter((name) => !mainNames.has(name));
            if (missing.length > 0 && bins.includes(entry)) return undefined; // checked below
            if (missing.length > 0)
              throw new Error(
                `build: ${relative(root, entry)} imports ${path}, whose ${missing.join(', ')} the main entry does not export`,
              );
            return external(mainEntry);
          });
        },
      },
    ],
  });
  if (entry === mainEntry) mainInputs = new Set(Object.keys(result.metafile.inputs));
  let text = result.outputFiles.find((file) => file.path === entry).text;
  if (Object.keys(result.metafile.inputs).some((input) => input.includes('node_modules/valibot/')))
    text = text.replace(/^"use strict";\n/, (strict) => `${strict}${valibotNotice}`);
  let side;
  if (entry === mainEntry) ({ text, side } = moveLazyModules(evaluateOnFirstUse(text)));
  bundles.push({ entry, text, side, metafile: result.metafile });
}

/**
 * In the main entry, the modules of `lazyFolders` are evaluated when code first reads one of their exports,
 * not when the app requires the package: an app that uses neither the webhook kit nor provider calls does
 * not run their ~50 modules at every start. The barrel's imports of them, and other modules' imports of a
 * lazy folder's own barrel (`provider/index.js`, which the client imports), become objects that load the
 * module at first access; an import of one of their files by name (the `@OnHotglueEvent` decorator, the
 * provider options schema, the provider agent: the boot path uses them at once) loads as before. Every
 * importer sees the same exports.
 */
function evaluateOnFirstUse(text) {
  const modules = bundledModules(text);
  const folderBarrel = (path) => isLazy(path) && path.endsWith('/index.js');
  // esbuild heads each module with a `// <path>` comment; the barrel (the entry itself) comes last.
  const heads = new Set([...[...modules.values()].map(({ path }) => path), mainPath]);
  const starts = [...text.matchAll(/^\/\/ (\S+)\n/gm)].filter((m) => heads.has(m[1])).map((m) => m.index);
  let changed = 0;
  const parts = [0, ...starts].map((from, i, all) => {
    const part = text.slice(from, all[i + 1]);
    const owner = /^\/\/ (\S+)\n/.exec(part)?.[1];
    if (owner === undefined || !heads.has(owner) || isLazy(owner)) return part;
    return part.replace(/^(\s*)var (\w+) = (require_\w+)\(\);$/gm, (line, indent, name, loader) => {
      const path = modules.get(loader)?.path;
      if (path === undefined) throw new Error(`build: ${loader} is not a bundled module`);
      if (owner === mainPath ? !isLazy(path) : !folderBarrel(path)) return line;
      changed++;
      return `${indent}var ${name} = __onFirstUse(${loader});`;
    });
  });
  if (changed === 0) throw new Error(`build: nothing imports ${lazyFolders.join(', ')} through a barrel`);
  const helper = `var __onFirstUse = (load) => new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const found = Reflect.getOwnPropertyDescriptor(load(), key);
    return found && { ...found, configurable: true };
  },
});

`;
  return [parts[0], helper, ...parts.slice(1)].join('');
}

/**
 * Moves the source of the lazily evaluated modules (`evaluateOnFirstUse`) out of the main entry into
 * `LAZY_MODULES`, read at the first `require` of one of them: V8 pre-parses every function of a file it
 * compiles, run or not, so the webhook kit's ~100 KB alone cost every start 10-20 M instructions (2-4 ms)
 * unevaluated. Each moved module keeps its place in the main bundle as a stub that runs the moved body; the
 * body reaches the bundle's other modules through the bundle's top-level names, handed to the moved file.
 * A module the boot path requires directly stays in the main file.
 */
function moveLazyModules(text) {
  const modules = bundledModules(text);
  // What loads at require time: the barrel and the modules outside `lazyFolders`, and what they call eagerly.
  const eager = new Set();
  const visit = (source) => {
    for (const [, loader] of source.matchAll(/(?<![\w$])(require_\w+)\(\)/g)) {
      const found = modules.get(loader);
      if (found === undefined || eager.has(loader)) continue;
      eager.add(loader);
      visit(found.member);
    }
  };
  visit(text.slice(barrelAt(text)));
  for (const [loader, { member, path }] of modules) {
    if (isLazy(path)) continue;
    eager.add(loader);
    visit(member);
  }
  const moved = [...modules].filter(([loader]) => !eager.has(loader));
  if (moved.length === 0) throw new Error('build: no lazily evaluated module to move');
  const declared = [...text.matchAll(/^(?:var|let|const|class|(?:async )?function\*?) ([\w$]+)/gm)].map(
    (m) => m[1],
  );
  // Every top-level name of the bundle a moved module may use: its loaders and esbuild's helpers, plus names
  // a comment or a string merely mentions (harmless: a parameter that is never read). Handed over when the
  // moved file loads, after the main entry has run, so each holds its final value.
  const names = declared.filter((name) =>
    moved.some(([, { member }]) =>
      new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(member),
    ),
  );
  let main = text;
  for (const [, { member, path, params }] of moved) {
    const key = JSON.stringify(path);
    main = main.replace(
      member,
      () => `${key}(${params}) {\n    return __lazyModules()[${key}].call(this, ${params});\n  }`,
    );
  }
  const side = `"use strict";
// The main entry's modules evaluated at first use, kept out of its file: see moveLazyModules in the build.
module.exports = ({ ${names.join(', ')} }) => ({
  ${moved.map(([, { member }]) => member).join(',\n  ')}
});
`;
  new vm.Script(side, { filename: LAZY_MODULES }); // a syntax check: it runs only when the app needs it
  const loader = `var __lazyModulesLoaded;
var __lazyModules = () => (__lazyModulesLoaded ??= require("./${LAZY_MODULES}")({ ${names.join(', ')} }));
`;
  const at = barrelAt(main);
  return { text: `${main.slice(0, at)}\n${loader}${main.slice(at)}`, side };
}

/** The bundle's modules by loader (`require_x`): each one's path and its `"path"(params) { ... }` member. */
function bundledModules(text) {
  const module =
    /^var (require_\w+) = __commonJS\(\{\n {2}("([^"\n]+)"\(([\w, ]*)\) \{\n[\s\S]*?\n {2}\})\n\}\);\n/gm;
  return new Map([...text.matchAll(module)].map((m) => [m[1], { member: m[2], path: m[3], params: m[4] }]));
}

/** Where the main entry's own code (the barrel) starts in its bundle. */
function barrelAt(text) {
  const at = text.indexOf(`\n// ${mainPath}\n`);
  if (at < 0) throw new Error('build: the main entry bundle has no barrel section');
  return at;
}
const owner = new Map();
const copied = [];
for (const { entry, metafile } of bundles) {
  for (const input of Object.keys(metafile.inputs)) {
    const other = owner.get(input);
    if (other !== undefined && !copyAllowed(input) && !bins.includes(entry))
      copied.push(`${input} (${relative(root, other)}, ${relative(root, entry)})`);
    owner.set(input, entry);
  }
}
if (copied.length > 0)
  throw new Error(
    `build: modules bundled into two entries; import them through an entry:\n${copied.join('\n')}`,
  );
// Replace tsc's per-file output (and its source maps, see below) by the bundles; the .d.ts files stay.
for (const file of readdirSync(join(dist, 'cjs'), { recursive: true, withFileTypes: true })) {
  if (file.isFile() && /\.js(\.map)?$/.test(file.name)) rmSync(join(file.parentPath, file.name));
}
for (const { entry, text, side } of bundles) {
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(entry, text);
  if (side !== undefined) writeFileSync(join(dirname(entry), LAZY_MODULES), side);
  if (bins.includes(entry)) continue; // run, never imported
  // Node's ESM loader finds a CommonJS module's named exports by reading its source (cjs-module-lexer), which
  // cannot see through the bundle's `module.exports = require_index()`; this never-run assignment names them
  // the way esbuild annotates its own ESM-to-CommonJS output.
  const names = Object.keys(require(entry)).filter((name) => name !== '__esModule');
  if (names.length > 0)
    writeFileSync(entry, `${text}0 && (module.exports = {\n${names.map((n) => `  ${n},`).join('\n')}\n});\n`);
}
for (const [subpath, target] of Object.entries(manifest.exports)) {
  if (typeof target === 'string') continue; // ./package.json
  const esm = join(root, target.import.default);
  const cjs = join(root, target.require.default);
  const names = Object.keys(require(cjs)).filter((name) => name !== '__esModule');
  if (names.length === 0) throw new Error(`build: entry ${subpath} exports nothing`);
  let from = relative(dirname(esm), cjs);
  if (!from.startsWith('.')) from = `./${from}`;
  mkdirSync(dirname(esm), { recursive: true });
  writeFileSync(esm, `export {\n${names.map((name) => `  ${name},`).join('\n')}\n} from '${from}';\n`);
}
for (const bin of Object.values(manifest.bin)) chmodSync(join(root, bin), 0o755);
