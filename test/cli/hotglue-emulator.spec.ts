import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

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

  it('--help and -h print help and exit 0 without starting an emulator (issue 19.8)', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await settled([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('hotglue-emulator [-h | --help]');
      expect(r.out).toContain('EMULATOR_PORT');
      expect(r.out).toMatch(/EMULATOR_REQUIRE_JWT[\s\S]*true or 1[\s\S]*widget[\s\S]*false or 0/);
      expect(r.out).not.toContain('HOTGLUE_API_URL=http');
    }
  }, 60_000);

  it('refuses an argument without echoing it (exit 2)', async () => {
    const r = await settled([CANARY_SECRET]);
    expect(r.code).toBe(2);
    expect(r.out + r.err).not.toContain('CANARY');
    expect(r.out).not.toContain('HOTGLUE_API_URL=http');
  }, 30_000);
});
