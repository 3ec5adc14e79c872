import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectedFingerprint } from '../support/keys.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BIN = fileURLToPath(new URL('../../src/cli/nestjs-hotglue.ts', import.meta.url));
/** tsx looks for tsconfig.json in the working directory: point it at the repository's (decorators). */
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/**
 * `nestjs-hotglue` from its sources (the packed bin runs in test/consumers), with only `env` set, in `cwd`
 * (default: a scratch directory with no `.env`, so a developer's own `.env` never takes part).
 */
function cli(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
  cwd: string = dir,
): Promise<Run> {
  // `--` as the bin's shebang passes it: Node then reads no option (`--env-file`) from the script's arguments.
  const child = spawn(process.execPath, ['--import', TSX, '--', BIN, ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TSX_TSCONFIG_PATH: TSCONFIG,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  // A run that stops before reading stdin (a missing --dotenv file) closes the pipe first: the write then fails
  // with EPIPE, which is the child's business, not an error of this spec.
  child.stdin.on('error', () => undefined);
  child.stdin.end(stdin ?? '');
  // A run that blocks (a key read waiting on a FIFO) is killed and fails on its exit code, not the timeout.
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

const key = generateTestSigningKey('cli');
const other = generateTestSigningKey('cli-other');
const CANARY_SECRET = 'sk_live_CANARY_cli_secret_9b2d4f6a8c';
const ENV_ID = 'dev.example.hotglue.xyz';
const dir = mkdtempSync(join(tmpdir(), 'nestjs-hotglue-cli-'));
const keyFile = join(dir, 'key.b64');
writeFileSync(keyFile, key.privateKeyBase64, { mode: 0o600 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = {
  HOTGLUE_ENV_ID: ENV_ID,
  HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
  HOTGLUE_SECRET_API_KEY: CANARY_SECRET,
};
const secrets = [...pemSecretForms(key.privateKeyPem), CANARY_SECRET];
const everything = (run: Run) => `${run.out}\n${run.err}`;

describe('nestjs-hotglue', () => {
  it('check-config: exit 0 with a summary that shows the fingerprint, never a secret', async () => {
    const run = await cli(['check-config'], good);
    expect(run.code).toBe(0);
    expect(run.out).toContain(expectedFingerprint(key.publicKey));
    expect(run.out).toContain('secret API key set');
    expectNoLeak(everything(run), secrets, 'check-config output');
  });

  it('check-config: exit 1 with the same problem list as boot, values never echoed', async () => {
    const bad = {
      HOTGLUE_ENV_ID: 'has space',
      HOTGLUE_SIGNING_KEY: CANARY_SECRET,
      HOTGLUE_TOKEN_TTL_SECONDS: '5',
    };
    const run = await cli(['check-config'], bad);
    expect(run.code).toBe(1);
    const { validateHotglueOptions, hotglueOptionsFromEnv } = await import('../support/library-internals.js');
    const boot = (() => {
      try {
        validateHotglueOptions(hotglueOptionsFromEnv(bad));
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(boot).toMatch(/3 problems/);
    expect(run.err.trim()).toBe(boot);
    expect(run.err).toContain('HOTGLUE_ENV_ID');
    expect(run.err).toContain('HOTGLUE_SIGNING_KEY');
    expect(run.err).toContain('HOTGLUE_TOKEN_TTL_SECONDS');
    expectNoLeak(everything(run), [CANARY_SECRET], 'check-config problems');
  });

  it('--name reads HOTGLUE_<NAME>_* (and not HOTGLUE_*)', async () => {
    const env = { HOTGLUE_EU_WEST_ENV_ID: ENV_ID, HOTGLUE_EU_WEST_SIGNING_KEY_FILE: keyFile };
    const named = await cli(['fingerprint', '--name', 'eu-west'], env);
    expect(named).toMatchObject({ code: 0, out: `${expectedFingerprint(key.publicKey)}\n` });
    const unnamed = await cli(['check-config'], env);
    expect(unnamed.code).toBe(1);
    expect(unnamed.err).toContain('HOTGLUE_ENV_ID');
    const missing = await cli(['check-config', '--name', 'eu-west'], { HOTGLUE_ENV_ID: ENV_ID });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('HOTGLUE_EU_WEST_ENV_ID');
    expect(missing.err).toContain('HOTGLUE_EU_WEST_SIGNING_KEY');
  });

  it('mint prints the token alone; verify accepts it, checks the tenant, refuses a foreign one', async () => {
    const mint = await cli(['mint', 'acme', '--ttl', '120'], good);
    expect(mint.code).toBe(0);
    expect(mint.err).toBe('');
    const token = mint.out.trim();
    expect(mint.out).toBe(`${token}\n`);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
      string,
      number | string
    >;
    expect(claims.sub).toBe('acme');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(key.publicKeyPem),
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(true);

    const ok = await cli(['verify', token, '--tenant', 'acme'], good);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      valid: true,
      sub: 'acme',
      keyFingerprint: expectedFingerprint(key.publicKey),
    });
    const fromStdin = await cli(['verify', '-'], good, `${token}\n`);
    expect(fromStdin.code).toBe(0);

    const tenant = await cli(['verify', token, '--tenant', 'globex'], good);
    expect(tenant.code).toBe(3);
    expect(tenant.err).toContain('(tenant)');
    const foreign = await cli(['verify', token], { ...good, HOTGLUE_SIGNING_KEY: other.privateKeyBase64 });
    expect(foreign.code).toBe(3);
    expect(foreign.err).toContain('(signature)');
    // A refused token is not echoed back.
    expect(everything(foreign)).not.toContain(signature);
  }, 60_000); // six CLI processes in a row: slow on a loaded 2-core machine, never a hang (each run is killed on its own)

  it('mint refuses with NODE_ENV=production unless --force, and refuses bad arguments without echoing them', async () => {
    const prod = await cli(['mint', 'acme'], { ...good, NODE_ENV: 'production' });
    expect(prod).toMatchObject({ code: 4, out: '' });
    expect(prod.err).toContain('--force');
    const forced = await cli(['mint', 'acme', '--force'], { ...good, NODE_ENV: 'production' });
    expect(forced.code).toBe(0);
    expect(forced.out.split('.')).toHaveLength(3);

    const badTenant = await cli(['mint', 'a/../b\u0007'], good);
    expect(badTenant.code).toBe(2);
    expect(badTenant.err).not.toContain('\u0007');
    expect((await cli(['mint', 'acme', '--ttl', '5'], good)).code).toBe(2);
    expect((await cli(['mint', 'acme', '--ttl', 'soon'], good)).code).toBe(2);
    expect((await cli(['mint'], good)).code).toBe(2);
    // Six tsx processes one after another: allow for a loaded CI machine.
  }, 60_000);

  it('--help for every command; unknown commands and options are usage errors (exit 2)', async () => {
    const commands = ['check-config', 'mint', 'verify', 'fingerprint', 'emulator'];
    const runs = await Promise.all(commands.map((command) => cli([command, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code).toBe(0);
      expect(run.out).toContain(`nestjs-hotglue ${commands[i]}`);
      expect(run.out).toContain('Exit codes');
    });
    const overview = await cli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.out).toContain('check-config');
    expect((await cli([])).code).toBe(2);
    expect((await cli(['deploy'])).code).toBe(2);
    expect((await cli(['check-config', '--verbose'], good)).code).toBe(2);
    expect((await cli(['check-config', '--name', 'a b'], good)).code).toBe(2);
  }, 90_000);

  it('emulator runs the hotglue-emulator code: the same variables, the same output, Ctrl+C exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/nestjs-hotglue.ts', 'emulator', '--name', 'eu'],
      {
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          EMULATOR_PORT: '0',
          HOTGLUE_EU_SECRET_API_KEY: CANARY_SECRET,
          HOTGLUE_EU_SIGNING_KEY: key.privateKeyBase64,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      while (!out.includes('Ctrl+C')) {
        if (child.exitCode !== null) throw new Error('emulator exited early');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(out).toMatch(/HOTGLUE_API_URL=http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toContain(
        `signing key: yours, HOTGLUE_SIGNING_KEY (${expectedFingerprint(key.publicKey)})`,
      );
      expect(out).toMatch(/HOTGLUE_SECRET_API_KEY: yours/);
      expectNoLeak(out, secrets, 'emulator output');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  describe('.env, as ConfigModule.forRoot() reads it', () => {
    /** A fresh working directory holding `files` (name -> contents). */
    const workdir = (files: Record<string, string>) => {
      const cwd = mkdtempSync(join(dir, 'app-'));
      for (const [name, text] of Object.entries(files)) {
        mkdirSync(join(cwd, name, '..'), { recursive: true });
        writeFileSync(join(cwd, name), text, { mode: 0o600 });
      }
      return cwd;
    };
    // The PEM as most .env files hold it: multi-line, double-quoted.
    const dotenv = [
      '# the app settings',
      `HOTGLUE_ENV_ID=${ENV_ID}`,
      `HOTGLUE_SIGNING_KEY="${key.privateKeyPem.trim()}"`,
      `HOTGLUE_SECRET_API_KEY='${CANARY_SECRET}' # a trailing comment`,
      '',
    ].join('\n');

    it('check-config and mint read .env of the working directory when no variable is set', async () => {
      const cwd = workdir({ '.env': dotenv });
      const check = await cli(['check-config'], {}, undefined, cwd);
      expect(check.code).toBe(0);
      expect(check.out).toContain(expectedFingerprint(key.publicKey));
      expect(check.out).toContain('secret API key set');
      expect(check.out).toContain(`with ${join(cwd, '.env')} (variables already set win)`);
      expectNoLeak(everything(check), secrets, 'check-config with .env');

      const mint = await cli(['mint', 'acme'], {}, undefined, cwd);
      expect(mint.code).toBe(0);
      const [header, payload, signature] = mint.out.trim().split('.');
      expect(
        verify(
          'sha256',
          Buffer.from(`${header}.${payload}`),
          key.publicKey,
          Buffer.from(signature!, 'base64url'),
        ),
      ).toBe(true);
    });

    it('variables already set win over .env, and NODE_ENV from .env counts for mint', async () => {
      const cwd = workdir({ '.env': `${dotenv}NODE_ENV=production\n` });
      const fingerprint = await cli(
        ['fingerprint'],
        { HOTGLUE_SIGNING_KEY: other.privateKeyBase64 },
        undefined,
        cwd,
      );
      expect(fingerprint).toMatchObject({ code: 0, out: `${expectedFingerprint(other.publicKey)}\n` });
      const refused = await cli(['mint', 'acme'], {}, undefined, cwd);
      expect(refused.code).toBe(4);
      const allowed = await cli(['mint', 'acme'], { NODE_ENV: 'development' }, undefined, cwd);
      expect(allowed.code).toBe(0);
    });

    it('--dotenv <path> reads that file instead of .env', async () => {
      const cwd = workdir({
        '.env': `HOTGLUE_ENV_ID=has space\nHOTGLUE_SIGNING_KEY=${other.privateKeyBase64}\n`,
        'config/staging.env': dotenv,
      });
      const named = await cli(['check-config', '--dotenv', 'config/staging.env'], {}, undefined, cwd);
      expect(named.code).toBe(0);
      expect(named.out).toContain(expectedFingerprint(key.publicKey));
      expect(named.out).toContain(join(cwd, 'config/staging.env'));
      const defaulted = await cli(['check-config'], {}, undefined, cwd);
      expect(defaulted.code).toBe(1);
      expect(defaulted.err).toContain('HOTGLUE_ENV_ID');
      expect(defaulted.err).toContain(`(Read ${join(cwd, '.env')}; variables already set win.)`);
      expectNoLeak(everything(defaulted), pemSecretForms(other.privateKeyPem), 'problems from .env');
    });

    it('a missing --dotenv file stops with exit 2, the path named and nothing from any file echoed', async () => {
      const cwd = workdir({ '.env': dotenv });
      const missing = await cli(['mint', 'acme', '--dotenv', 'nope/prod.env'], {}, undefined, cwd);
      expect(missing.code).toBe(2);
      expect(missing.out).toBe('');
      expect(missing.err).toContain('nope/prod.env');
      expect(missing.err).toContain('no such file');
      expectNoLeak(everything(missing), secrets, 'missing --dotenv');
      const emulator = await cli(['emulator', '--dotenv', '.env'], {}, undefined, cwd);
      expect(emulator.code).toBe(2);
      expect(emulator.err).toContain('--dotenv applies to check-config, mint, verify, fingerprint');
    });
  });

  it('never echoes an unknown command, option or stray argument', async () => {
    const runs = await Promise.all([
      cli([CANARY_SECRET]),
      cli([`--${CANARY_SECRET}`]),
      cli(['fingerprint', `--key=${CANARY_SECRET}`]),
    ]);
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.out + r.err).not.toContain('CANARY');
      expect(r.err).toContain('--help');
    }
    expect(runs[0]?.err).toContain('unknown command');
    expect(runs[1]?.err).toContain('unknown option');
  }, 60_000);

  it.each(['production', 'Production', ' production ', 'PRODUCTION\n'])(
    'mint refuses NODE_ENV=%j without --force (exit 4)',
    async (nodeEnv) => {
      const r = await cli(['mint', 'acme'], { NODE_ENV: nodeEnv });
      expect(r.code).toBe(4);
      expect(r.err).toContain('refusing to mint');
      expect(r.out).toBe('');
    },
    30_000,
  );

  describe('key texts that used to crash or wedge it: the problem list, exit 1, no stack, no value', () => {
    /** Base64 alphabet only, canary first: 5 MB of it overflowed the base64 regex (an uncaught RangeError). */
    const HUGE_CANARY = 'hotglueCanaryCliHugeKey9d8c7b6a5f4e3d2c1b';
    const hugeFile = join(dir, 'huge.b64');
    writeFileSync(hugeFile, `${HUGE_CANARY}${'A'.repeat(5 * 1024 * 1024)}`);
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);

    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [
        'a 5 MB key file',
        { HOTGLUE_SIGNING_KEY_FILE: hugeFile },
        /HOTGLUE_SIGNING_KEY_FILE\): the file it names is larger than 65536 bytes/,
      ],
      [
        'a FIFO as the key file',
        { HOTGLUE_SIGNING_KEY_FILE: fifo },
        /HOTGLUE_SIGNING_KEY_FILE\): the file it names is not a regular file/,
      ],
      [
        // An environment variable holds at most 128 KiB on Linux: 100 KB is as big as an inline key gets.
        'a 100 KB inline key',
        { HOTGLUE_SIGNING_KEY: `${HUGE_CANARY}${'A'.repeat(100 * 1024)}` },
        /HOTGLUE_SIGNING_KEY\): the signing key is \d+ characters long; at most 65536/,
      ],
    ];
    it.each(cases)(
      'check-config with %s',
      async (_name, keyEnv, message) => {
        const run = await cli(['check-config'], { HOTGLUE_ENV_ID: ENV_ID, ...keyEnv });
        expect(run.code).toBe(1);
        expect(run.err).toMatch(/^Invalid hotglue configuration \(1 problem\):\n {2}- /);
        expect(run.err).toMatch(message);
        expect(run.err).not.toMatch(/\n\s+at /);
        expectNoLeak(everything(run), [HUGE_CANARY, hugeFile, fifo], 'check-config output');
      },
      30_000,
    );
  });
});
