// `prepack` / `postpack`: the packed package.json carries no `prepare` script. The repository keeps it
// because `npm install git+…` (pacote) builds a git dependency by running `prepare` and nothing else, but in
// a tarball it only makes npm 11 warn on every install ("1 package has install scripts not yet covered by
// allowScripts: nestjs-hotglue (prepare: npm run build)"). `strip` runs after the build in `prepack` (npm
// reads the manifest it packs from disk after that), `restore` in `postpack`; both are idempotent and keep
// the file byte for byte as npm writes it (2-space JSON, final newline). `npm run check:package` checks both.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PREPARE = 'npm run build';
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
const manifest = JSON.parse(readFileSync(file, 'utf8'));
const action = process.argv[2];

if (action === 'strip') {
  if (manifest.scripts.prepare !== undefined && manifest.scripts.prepare !== PREPARE)
    throw new Error(`pack-manifest: scripts.prepare is not "${PREPARE}"; update scripts/pack-manifest.mjs.`);
  delete manifest.scripts.prepare;
} else if (action === 'restore') {
  // Back in its place, right after "build".
  manifest.scripts = Object.fromEntries(
    Object.entries(manifest.scripts)
      .filter(([name]) => name !== 'prepare')
      .flatMap((entry) => (entry[0] === 'build' ? [entry, ['prepare', PREPARE]] : [entry])),
  );
} else {
  throw new Error('usage: node scripts/pack-manifest.mjs strip|restore');
}
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
