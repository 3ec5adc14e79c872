import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'otel-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs otel-absent-child.ts with the resolve probe; returns its output and the `@opentelemetry/*` it resolved. */
function child(
  mode: 'import-only' | 'app',
  block: boolean,
): Promise<{ code: number | null; out: string; err: string; resolved: string[] }> {
  const log = join(dir, `${mode}-${block}.log`);
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './test/telemetry/otel-probe.mjs',
      'test/telemetry/otel-absent-child.ts',
      mode,
    ],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        OTEL_PROBE_LOG: log,
        OTEL_PROBE_BLOCK: block ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  return new Promise((resolve) =>
    proc.once('close', (code) => {
      let resolved: string[] = [];
      try {
        resolved = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      } catch {
        // No file: nothing was resolved.
      }
      resolve({ code, out, err, resolved });
    }),
  );
}

describe('without @opentelemetry/api nothing changes', () => {
  it('importing nestjs-hotglue does not load @opentelemetry/api', async () => {
    const run = await child('import-only', false);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ imported: 'function' });
    expect(run.resolved).toEqual([]);
  });

  it('with the package unresolvable, the module boots, signs and verifies, telemetry off, no error output', async () => {
    const run = await child('app', true);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ telemetry: false, verified: 'acme' });
    // The one lazy import was tried (and refused by the probe), then nothing else.
    expect(run.resolved).toEqual(['@opentelemetry/api']);
    expect(run.err).toBe('');
  });

  it('with the package present and no SDK, the module loads it at init and still works', async () => {
    const run = await child('app', false);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ telemetry: true, verified: 'acme' });
    expect(run.resolved).toEqual(['@opentelemetry/api']);
  });
});
