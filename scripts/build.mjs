// `npm run build`: the repository's ESM build (the sample app, `dist/main.js`, and the ESM type declarations
// the package ships) and the package's CommonJS build (`dist/cjs`: every entry and both bins), then thin ESM
// entries (`dist/esm`) that re-export the CommonJS build. One implementation behind both `import` and
// `require` means one identity per class and injection token when an app loads both formats (the "dual package
// hazard" of https://nodejs.org/api/packages.html, avoided by an ESM wrapper over CommonJS as that page
// suggests). Names are listed explicitly so bundlers and Node's linker see them.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

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
