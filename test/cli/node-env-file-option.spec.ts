import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';

/**
 * Node (20.19 to 24 at least) reads `--env-file` from a script's own arguments too and loads that file
 * before the script runs, `NODE_OPTIONS` included: `nestjs-hotglue check-config --env-file x` would run
 * whatever `x` asks Node to `--require`. The bins' shebang ends Node's options with `--`; these specs run the
 * built bins as a user does (executed through their shebang, `node` found on PATH) and check that Node never
 * acts on the option and the CLI refuses it.
 */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT_DIR = join(REPO_ROOT, 'test-output', 'cli-build');
const CLI = join(OUT_DIR, 'cli', 'nestjs-hotglue.js');
const EMULATOR = join(OUT_DIR, 'cli', 'hotglue-emulator.js');
const CANARY = 'sk_live_CANARY_node_env_file_7f3e';

const dir = mkdtempSync(join(tmpdir(), 'hg-node-env-file-'));
const marker = join(dir, 'payload-ran');
const payload = join(dir, 'payload.cjs');
const evil = join(dir, 'evil.env');
const key = generateTestSigningKey('node-env-file');

beforeAll(async () => {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // The package's CommonJS build (where `bin` points), into its own folder so a concurrent build of dist/
  // cannot interfere; then what scripts/build.mjs adds: the CommonJS marker and the bins' mode.
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.cjs.json', '--outDir', OUT_DIR], {
    cwd: REPO_ROOT,
  }).catch((error: { stdout?: string }) => {
    if (!existsSync(CLI)) throw new Error(`build failed:\n${error.stdout ?? String(error)}`);
  });
  writeFileSync(join(OUT_DIR, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  chmodSync(CLI, 0o755);
  chmodSync(EMULATOR, 0o755);
  writeFileSync(payload, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
  writeFileSync(evil, `NODE_OPTIONS=--require=${payload}\nHOTGLUE_ENV_ID=from.evil.env\n`);
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** Executes `bin` itself (its shebang picks `node` from PATH: the Node running this spec). */
function run(bin: string, args: string[]): Promise<Run> {
  const started = Date.now();
  const child = spawn(bin, args, {
    cwd: dir,
    env: {
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? '/tmp',
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  // A run that blocks (Node opening a FIFO named by --env-file) is killed and fails on its exit code.
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    }),
  );
}

describe.runIf(process.platform !== 'win32')('the built bins and Node’s own --env-file', () => {
  it.each([['check-config'], ['fingerprint'], ['mint', 'acme'], ['verify', 'x.y.z'], ['emulator']])(
    'nestjs-hotglue %s --env-file <file with NODE_OPTIONS>: no payload runs, exit 2 naming --dotenv',
    async (...command) => {
      for (const args of [
        [...command, '--env-file', evil],
        [...command, `--env-file=${evil}`],
        ['--env-file', evil, ...command],
      ]) {
        rmSync(marker, { force: true });
        const result = await run(CLI, args);
        expect(existsSync(marker), `payload ran for ${args.join(' ')}`).toBe(false);
        expect(result.code).toBe(2);
        expect(result.out).toBe('');
        expect(result.err).toContain("--env-file is Node's own option");
        expect(result.err).toContain('--dotenv <path>');
        expect(result.err).not.toContain(evil);
      }
    },
  );

  it('hotglue-emulator --env-file <file with NODE_OPTIONS>: no payload runs, exit 2', async () => {
    rmSync(marker, { force: true });
    const result = await run(EMULATOR, ['--env-file', evil]);
    expect(existsSync(marker)).toBe(false);
    expect(result.code).toBe(2);
    expect(result.err).toContain('takes only --write-env <path>');
    expect(result.err).not.toContain(evil);
  });

  it('a missing --env-file (a pasted secret) is exit 2 without echoing it; a FIFO never blocks', async () => {
    const missing = await run(CLI, ['check-config', '--env-file', CANARY]);
    expect(missing.code).toBe(2);
    expect(`${missing.out}${missing.err}`).not.toContain(CANARY);
    const fifo = join(dir, 'fifo.env');
    await promisify(execFile)('mkfifo', [fifo]);
    const blocked = await run(CLI, ['fingerprint', '--env-file', fifo]);
    expect(blocked.code).toBe(2);
    expect(blocked.ms).toBeLessThan(10_000);
  });

  it('--dotenv <path> is the option the CLI reads, from the built bin too', async () => {
    const file = join(dir, 'settings.env');
    writeFileSync(file, 'HOTGLUE_TOKEN_TTL_SECONDS=not-a-number\n');
    const result = await run(CLI, ['check-config', '--dotenv', file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('HOTGLUE_TOKEN_TTL_SECONDS');
    expect(result.err).toContain(`(Read ${file}; variables already set win.)`);
  });
});
