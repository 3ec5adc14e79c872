import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** A bin from its sources, killed after `limitMs` (an emulator that starts instead of helping never exits). */
function run(bin: string, args: string[], env: Record<string, string> = {}, limitMs = 15_000): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${bin}.ts`, ...args], {
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
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

const CANARY = 'sk_live_CANARY_pasted_in_the_wrong_place_5e1c';

describe('CLI argv hardening (issue 19.8)', () => {
  it('nestjs-hotglue never echoes an unknown command, option or stray argument', async () => {
    const runs = await Promise.all([
      run('nestjs-hotglue', [CANARY]),
      run('nestjs-hotglue', [`--${CANARY}`]),
      run('nestjs-hotglue', ['fingerprint', `--key=${CANARY}`]),
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
      const r = await run('nestjs-hotglue', ['mint', 'acme'], { NODE_ENV: nodeEnv });
      expect(r.code).toBe(4);
      expect(r.err).toContain('refusing to mint');
      expect(r.out).toBe('');
    },
    30_000,
  );

  it('hotglue-emulator --help prints help and exits 0 without starting an emulator', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await run('hotglue-emulator', [flag]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('hotglue-emulator [-h | --help]');
      expect(r.out).toContain('EMULATOR_PORT');
      expect(r.out).not.toContain('HOTGLUE_API_URL=http');
    }
  }, 60_000);

  it('hotglue-emulator refuses an argument without echoing it (exit 2)', async () => {
    const r = await run('hotglue-emulator', [CANARY]);
    expect(r.code).toBe(2);
    expect(r.out + r.err).not.toContain('CANARY');
    expect(r.out).not.toContain('HOTGLUE_API_URL=http');
  }, 30_000);
});
