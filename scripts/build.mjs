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
// exports). Only the stateless helpers in `mayCopy` may be copied into two bundles.
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
const lazyFolders = ['webhooks/'];
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
  if (entry === mainEntry) text = evaluateOnFirstUse(text, lazyFolders);
  bundles.push({ entry, text, metafile: result.metafile });
}

/**
 * The main entry's barrel evaluates the modules of `folders` when the app first reads one of their exports,
 * not when it requires the package: an app that never uses the webhook kit does not run its ~40 modules at
 * every start. Only the barrel's own imports change (each becomes an object that loads the module on first
 * access); a module the boot path imports itself (e.g. the `@OnHotglueEvent` decorator) is still loaded then,
 * once, and both see the same exports.
 */
function evaluateOnFirstUse(text, folders) {
  const paths = new Map(
    [...text.matchAll(/^var (require_\w+) = __commonJS\(\{\n\s+"([^"]+)"/gm)].map((m) => [m[1], m[2]]),
  );
  const barrel = text.indexOf(`\n// ${relative(root, mainEntry)}\n`);
  if (barrel < 0) throw new Error('build: the main entry bundle has no barrel section');
  let changed = 0;
  const body = text.slice(barrel).replace(/^var (\w+) = (require_\w+)\(\);$/gm, (line, name, loader) => {
    const path = paths.get(loader);
    if (path === undefined) throw new Error(`build: ${loader} is not a bundled module`);
    if (!folders.some((folder) => path.startsWith(join(relative(root, dirname(mainEntry)), folder))))
      return line;
    changed++;
    return `var ${name} = __onFirstUse(${loader});`;
  });
  if (changed === 0) throw new Error(`build: the barrel imports nothing from ${folders.join(', ')}`);
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
  return `${text.slice(0, barrel)}\n${helper}${body}`;
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
for (const { entry, text } of bundles) {
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(entry, text);
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
