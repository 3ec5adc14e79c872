import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** `npm pack` of the repository as a user's registry would serve it (prepare builds it first). */
export async function packLibrary(destination: string): Promise<PackedLibrary> {
  mkdirSync(destination, { recursive: true });
  const out = await sh(REPO_ROOT, 'npm', ['pack', '--json', '--pack-destination', destination]);
  const [{ filename, files }] = JSON.parse(out.slice(out.indexOf('['))) as [
    { filename: string; files: { path: string }[] },
  ];
  return { tarball: join(destination, filename), files: files.map((file) => file.path) };
}

/**
 * A consumer app in a directory that persists between runs, keyed by its package.json: its own
 * dependencies install once (the slow part), then every run installs the fresh tarball over them and
 * copies the app sources anew. Lives under the OS temp dir, outside the repository. `library` is what
 * `npm install` is given: the tarball's path, or a `git+file://` URL of this repository.
 */
export async function prepareConsumer(name: string, variant: string, library: string): Promise<string> {
  const manifest = readFileSync(join(CONSUMERS, 'variants', variant, 'package.json'));
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
  cpSync(join(CONSUMERS, 'variants', variant), dir, { recursive: true });
  cpSync(join(CONSUMERS, 'app'), dir, { recursive: true });
  await sh(dir, 'npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', library]);
  return dir;
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
