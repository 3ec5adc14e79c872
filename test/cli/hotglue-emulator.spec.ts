import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectedFingerprint } from '../support/keys.js';

/** `hotglue-emulator` from its sources, as `npm run emulator` runs it (the packed bin: test/consumers). */
function runEmulator(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/hotglue-emulator.ts', ...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      EMULATOR_PORT: '0',
      ...env,
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
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

const CANARY_SECRET = 'sk_live_CANARY_secret_api_key_7f3a9';
const CANARY_PATH = '/run/secrets/CANARY-key-path-4b1e';

const scratch = mkdtempSync(join(tmpdir(), 'hg-emulator-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('hotglue-emulator', () => {
  it('prints URL, env id, keys and key origin; serves; removes its generated key file on SIGINT', async () => {
    const run = runEmulator({});
    try {
      while (!run.out().includes('Ctrl+C')) {
        if (run.child.exitCode !== null) throw new Error(`exited early: ${run.err()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const value = (name: string) => new RegExp(`${name}=(\\S+)`).exec(run.out())?.[1] ?? '';
      expect(value('HOTGLUE_API_URL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const keyFile = value('HOTGLUE_SIGNING_KEY_FILE');
      expect(existsSync(keyFile)).toBe(true);
      expect(run.out()).toMatch(
        /Signing key sha256:[0-9a-f]{16}: generated for this run; its file is removed on exit/,
      );
      const res = await request(`${value('HOTGLUE_API_URL')}/${value('HOTGLUE_ENV_ID')}/flows/supported`, {
        headers: { 'x-api-key': value('HOTGLUE_SECRET_API_KEY') },
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      // EMULATOR_REQUIRE_JWT defaults to true: a public-key call naming a tenant needs a token, jobs too.
      const jobs = await request(
        `${value('HOTGLUE_API_URL')}/${value('HOTGLUE_ENV_ID')}/${value('HOTGLUE_FLOW_ID')}/t1/jobs/latest`,
        { headers: { 'x-api-key': value('HOTGLUE_PUBLIC_API_KEY') } },
      );
      expect(jobs.statusCode).toBe(401);
      expect(await jobs.body.json()).toMatchObject({ Code: 'UnauthorizedError' });
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 60_000);

  /** Starts the bin with `env`, waits for its banner, and returns the run with a reader of its variables. */
  async function started(env: Record<string, string>, args: string[] = []) {
    const run = runEmulator(env, args);
    while (!run.out().includes('Ctrl+C')) {
      if (run.child.exitCode !== null) throw new Error(`exited early: ${run.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const value = (name: string) => new RegExp(`${name}=(\\S+)`).exec(run.out())?.[1] ?? '';
    return { ...run, value };
  }

  /** An RS256 tenant token signed with the private key in a base64 key file. */
  function tokenFrom(keyFileText: string, tenant: string): string {
    const key = createPrivateKey(Buffer.from(keyFileText, 'base64').toString());
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: tenant, iat: now, exp: now + 300 })}`;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  }

  it('EMULATOR_KEY_DIR keeps the signing key, its file path and the API keys across restarts', async () => {
    const keyDir = join(scratch, 'keys');
    const runs: Array<{ keyFile: string; fingerprint: string; pk: string; sk: string; out: string }> = [];
    for (const round of [1, 2]) {
      const run = await started({ EMULATOR_KEY_DIR: keyDir });
      try {
        const keyFile = run.value('HOTGLUE_SIGNING_KEY_FILE');
        expect(keyFile).toBe(join(keyDir, 'signing-key.b64'));
        const text = readFileSync(keyFile, 'utf8');
        const fingerprint = expectedFingerprint(createPublicKey(Buffer.from(text, 'base64').toString()));
        expect(run.out()).toContain(`Signing key ${fingerprint}: kept in EMULATOR_KEY_DIR`);
        expect(run.out()).toContain('nothing is removed on exit');
        expect(run.out()).not.toMatch(/file is removed on exit/);
        expect(run.out()).toContain(
          round === 1
            ? 'created signing-key.b64, api-keys.json'
            : `Keys kept in ${keyDir} (EMULATOR_KEY_DIR): reused`,
        );
        // The emulator trusts the kept key: a token signed with it passes, one signed with another does not.
        const linked = (token: string) =>
          request(
            `${run.value('HOTGLUE_API_URL')}/${run.value('HOTGLUE_ENV_ID')}/flows/linked?user_id=acme&token=${token}`,
            { headers: { 'x-api-key': run.value('HOTGLUE_PUBLIC_API_KEY') } },
          );
        const ok = await linked(tokenFrom(text, 'acme'));
        await ok.body.dump();
        expect(ok.statusCode).toBe(200);
        const foreign = await linked(tokenFrom(generateTestSigningKey('foreign').privateKeyBase64, 'acme'));
        await foreign.body.dump();
        expect(foreign.statusCode).toBe(401);
        runs.push({
          keyFile,
          fingerprint,
          pk: run.value('HOTGLUE_PUBLIC_API_KEY'),
          sk: run.value('HOTGLUE_SECRET_API_KEY'),
          out: run.out(),
        });
        run.child.kill('SIGINT');
        expect(await run.exited).toBe(0);
        // Kept, owner-only, after the exit too.
        expect((statSync(keyDir).mode & 0o777).toString(8)).toBe('700');
        for (const name of ['signing-key.b64', 'api-keys.json'])
          expect((statSync(join(keyDir, name)).mode & 0o777).toString(8)).toBe('600');
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL');
      }
    }
    const [first, second] = runs;
    expect(second!.keyFile).toBe(first!.keyFile);
    expect(second!.fingerprint).toBe(first!.fingerprint);
    expect(second!.pk).toBe(first!.pk);
    expect(second!.sk).toBe(first!.sk);
    expect(first!.pk).toMatch(/^pk_emu_/);
  }, 60_000);

  it('refuses a kept key file that others can read, naming the file and never the key', async () => {
    const keyDir = join(scratch, 'loose');
    const first = await started({ EMULATOR_KEY_DIR: keyDir });
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const text = readFileSync(join(keyDir, 'signing-key.b64'), 'utf8');
    chmodSync(join(keyDir, 'signing-key.b64'), 0o644);
    const run = runEmulator({ EMULATOR_KEY_DIR: keyDir });
    expect(await run.exited).toBe(1);
    expect(run.err().trim()).toBe(
      'hotglue-emulator: EMULATOR_KEY_DIR: signing-key.b64 is readable by others (mode 644); run chmod 600 on it.',
    );
    expect(run.out() + run.err()).not.toContain(text.slice(0, 40));
  }, 60_000);

  it('with a supplied key file it says nothing is removed, and leaves the file in place', async () => {
    const keyFile = join(scratch, 'own-key.b64');
    writeFileSync(keyFile, generateTestSigningKey('own').privateKeyBase64, { mode: 0o600 });
    const run = await started({ HOTGLUE_SIGNING_KEY_FILE: keyFile });
    try {
      expect(run.out()).toContain('Signing key: yours; nothing is removed on exit.');
      expect(run.out()).not.toMatch(/file is removed on exit/);
      expect(run.out()).not.toContain(keyFile);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(existsSync(keyFile)).toBe(true);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('prints only a fingerprint of a secret key it was given, and still accepts that key', async () => {
    const run = runEmulator({ HOTGLUE_SECRET_API_KEY: CANARY_SECRET });
    try {
      while (!run.out().includes('Ctrl+C')) {
        if (run.child.exitCode !== null) throw new Error(`exited early: ${run.err()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(run.out()).toMatch(/HOTGLUE_SECRET_API_KEY: yours \(sha256:[0-9a-f]{12}\)/);
      expect(run.out() + run.err()).not.toContain(CANARY_SECRET);
      const url = /HOTGLUE_API_URL=(\S+)/.exec(run.out())?.[1];
      const envId = /HOTGLUE_ENV_ID=(\S+)/.exec(run.out())?.[1];
      const res = await request(`${url}/${envId}/flows/supported`, {
        headers: { 'x-api-key': CANARY_SECRET },
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      run.child.kill('SIGKILL');
    }
  }, 60_000);

  const occupied = createServer();
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it.each([
    [
      'EMULATOR_PORT=abc',
      { EMULATOR_PORT: 'abc' },
      /^hotglue-emulator: EMULATOR_PORT must be a whole number/,
    ],
    ['EMULATOR_PORT=70000', { EMULATOR_PORT: '70000' }, /^hotglue-emulator: EMULATOR_PORT must be/],
    ['a host with a space', { EMULATOR_HOST: 'bad host' }, /^hotglue-emulator: EMULATOR_HOST must be/],
    ['an unresolvable host', { EMULATOR_HOST: 'no-such-host.invalid' }, /cannot listen on EMULATOR_HOST:/],
    [
      'EMULATOR_REQUIRE_JWT=yes',
      { EMULATOR_REQUIRE_JWT: 'yes' },
      /^hotglue-emulator: EMULATOR_REQUIRE_JWT must be true or 1 .*widget.*false or 0/,
    ],
    [
      'a key file that does not exist',
      { HOTGLUE_SIGNING_KEY_FILE: CANARY_PATH },
      /^hotglue-emulator: signingKeyFile \(HOTGLUE_SIGNING_KEY_FILE\): the file it names does not exist/,
    ],
    [
      'a key that is not a key',
      { HOTGLUE_SIGNING_KEY: CANARY_SECRET },
      /^hotglue-emulator: signingKey \(HOTGLUE_SIGNING_KEY\)/,
    ],
  ])(
    'refuses %s with one line per problem, exit 1, no stack and no value',
    async (_, env, message) => {
      const run = runEmulator(env);
      expect(await run.exited).toBe(1);
      const lines = run.err().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(run.err()).not.toMatch(/\n\s+at /);
      expect(run.out() + run.err()).not.toContain(CANARY_SECRET);
      expect(run.out() + run.err()).not.toContain(CANARY_PATH);
    },
    30_000,
  );

  it('refuses a port already in use with one line naming the address', async () => {
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    const port = (occupied.address() as { port: number }).port;
    const run = runEmulator({ EMULATOR_PORT: String(port) });
    expect(await run.exited).toBe(1);
    expect(run.err().trim()).toBe(
      `hotglue-emulator: cannot listen on EMULATOR_HOST:EMULATOR_PORT 127.0.0.1:${port} (EADDRINUSE).`,
    );
  }, 30_000);

  /** A run that must end by itself: an emulator that starts instead (the bug) is killed after 15 s. */
  async function settled(args: string[]) {
    const run = runEmulator({}, args);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
    const code = await run.exited;
    clearTimeout(timer);
    return { code, out: run.out(), err: run.err() };
  }

  it('--help and -h print help and exit 0 without starting an emulator', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await settled([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('hotglue-emulator [--write-env <path>] [-h | --help]');
      expect(r.out).toContain('EMULATOR_PORT');
      expect(r.out).toMatch(/EMULATOR_REQUIRE_JWT[\s\S]*true or 1[\s\S]*widget[\s\S]*false or 0/);
      expect(r.out).not.toContain('HOTGLUE_API_URL=http');
    }
  }, 60_000);

  it('--write-env writes its HOTGLUE_* lines into a dotenv file, keeps other lines and the mode, and reuses them after a restart', async () => {
    const envFile = join(scratch, 'app.env');
    const others = [
      'PORT=3001',
      '# the app own settings',
      '',
      'DATABASE_URL="postgres://x y"',
      'APP_FLAG=on',
    ];
    // A key file path an earlier emulator printed and removed on exit: replaced, not reused.
    writeFileSync(
      envFile,
      `${[
        ...others.slice(0, 2),
        'HOTGLUE_SIGNING_KEY_FILE=/tmp/gone/signing-key.b64',
        ...others.slice(2),
      ].join('\n')}\n`,
      { mode: 0o640 },
    );
    chmodSync(envFile, 0o640);
    const files: string[] = [];
    for (let restarts = 0; restarts < 2; restarts++) {
      const run = await started({}, ['--write-env', envFile]);
      try {
        const text = readFileSync(envFile, 'utf8');
        files.push(text);
        const lines = text.trimEnd().split('\n');
        expect(
          lines.filter((line) => !line.startsWith('HOTGLUE_') && !line.startsWith('# written by')),
        ).toEqual(others);
        const values = Object.fromEntries(
          lines.filter((line) => line.startsWith('HOTGLUE_')).map((line) => line.split(/=(.*)/s).slice(0, 2)),
        );
        expect(Object.keys(values).sort()).toEqual([
          'HOTGLUE_API_URL',
          'HOTGLUE_ENV_ID',
          'HOTGLUE_FLOW_ID',
          'HOTGLUE_PUBLIC_API_KEY',
          'HOTGLUE_SECRET_API_KEY',
          'HOTGLUE_SIGNING_KEY',
        ]);
        expect(values.HOTGLUE_API_URL).toBe(run.value('HOTGLUE_API_URL'));
        expect((statSync(envFile).mode & 0o777).toString(8)).toBe('640');
        expect(run.out()).toContain(`to ${envFile} (other lines untouched)`);
        // The emulator trusts the key written into the file, on both runs.
        const linked = await request(
          `${values.HOTGLUE_API_URL}/${values.HOTGLUE_ENV_ID}/flows/linked?user_id=acme&token=${tokenFrom(values.HOTGLUE_SIGNING_KEY!, 'acme')}`,
          { headers: { 'x-api-key': values.HOTGLUE_PUBLIC_API_KEY! } },
        );
        await linked.body.dump();
        expect(linked.statusCode).toBe(200);
        run.child.kill('SIGINT');
        expect(await run.exited).toBe(0);
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL');
      }
    }
    // Same ids and keys after the restart; only the URL (a new free port) may differ.
    const withoutUrl = (text: string) => text.replace(/^HOTGLUE_API_URL=.*$/m, '');
    expect(withoutUrl(files[1]!)).toBe(withoutUrl(files[0]!));
  }, 60_000);

  it('--write-env refuses a symbolic link and leaves its target alone (exit 1)', async () => {
    const target = join(scratch, 'real.env');
    writeFileSync(target, 'KEEP=1\n');
    const link = join(scratch, 'link.env');
    symlinkSync(target, link);
    const run = runEmulator({}, [`--write-env=${link}`]);
    expect(await run.exited).toBe(1);
    expect(run.err()).toMatch(/--write-env .*link\.env: is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('KEEP=1\n');
  }, 30_000);

  it('after a restart without --write-env, an app still pointing at the removed key file is told why, not to inline a key', async () => {
    const run = await started({});
    const printed = Object.fromEntries(
      [...run.out().matchAll(/^\s+(HOTGLUE_[A-Z_]+)=(\S+)/gm)].map(([, name, value]) => [name!, value!]),
    );
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    const check = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/nestjs-hotglue.ts', 'check-config'],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...printed },
        cwd: process.cwd(),
        encoding: 'utf8',
      },
    );
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(
      /HOTGLUE_SIGNING_KEY_FILE\): the file it names does not exist\. The file is missing/,
    );
    expect(check.stderr).toContain('temporary key file of `npx hotglue-emulator`');
    expect(check.stderr).toContain('--write-env .env');
    expect(check.stderr).not.toContain('set HOTGLUE_SIGNING_KEY instead');
    expect(check.stderr).not.toContain(printed.HOTGLUE_SIGNING_KEY_FILE);
  }, 60_000);

  it('refuses an argument without echoing it (exit 2)', async () => {
    const r = await settled([CANARY_SECRET]);
    expect(r.code).toBe(2);
    expect(r.out + r.err).not.toContain('CANARY');
    expect(r.out).not.toContain('HOTGLUE_API_URL=http');
  }, 30_000);

  describe('key texts that used to crash or wedge it: one line, exit 1, no stack, no value', () => {
    /** Base64 alphabet only, canary first: 5 MB of it overflowed the base64 regex (an uncaught RangeError). */
    const HUGE_CANARY = 'hotglueCanaryEmuHugeKey1a2b3c4d5e6f7a8b9c';
    const dir = mkdtempSync(join(tmpdir(), 'hotglue-emulator-cli-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const hugeFile = join(dir, 'huge.b64');
    writeFileSync(hugeFile, `${HUGE_CANARY}${'A'.repeat(5 * 1024 * 1024)}`);
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);

    const cases: Array<[string, Record<string, string>, RegExp]> = [
      [
        'a 5 MB key file',
        { HOTGLUE_SIGNING_KEY_FILE: hugeFile },
        /^hotglue-emulator: signingKeyFile \(HOTGLUE_SIGNING_KEY_FILE\): the file it names is larger than/,
      ],
      [
        'a FIFO as the key file',
        { HOTGLUE_SIGNING_KEY_FILE: fifo },
        /^hotglue-emulator: signingKeyFile \(HOTGLUE_SIGNING_KEY_FILE\): the file it names is not a regular file/,
      ],
      [
        // An environment variable holds at most 128 KiB on Linux: 100 KB is as big as an inline key gets.
        'a 100 KB inline key',
        { HOTGLUE_SIGNING_KEY: `${HUGE_CANARY}${'A'.repeat(100 * 1024)}` },
        /^hotglue-emulator: signingKey \(HOTGLUE_SIGNING_KEY\): the signing key is \d+ characters long/,
      ],
    ];
    it.each(cases)(
      'refuses %s',
      async (_name, env, message) => {
        const run = runEmulator(env);
        // An emulator blocked on the FIFO (the bug) is killed: the exit code then fails the spec.
        const timer = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
        const code = await run.exited;
        clearTimeout(timer);
        expect(code).toBe(1);
        const lines = run.err().trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(run.out() + run.err()).not.toContain(HUGE_CANARY);
        expect(run.out() + run.err()).not.toContain(dir);
      },
      30_000,
    );
  });
});
