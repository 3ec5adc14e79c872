import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'http-stack-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the client's HTTP stack and the key-file reader's fs/promises", () => {
  it('are not loaded by booting HotglueModule and signing a token, only by their first use', async () => {
    const log = join(dir, 'resolved.log');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './test/client/http-stack-probe.mjs',
        'test/client/http-stack-child.ts',
      ],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HTTP_STACK_PROBE_LOG: log }, stdio: 'inherit' },
    );
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    // Boot and the token path resolve neither undici nor fs/promises; the first API call resolves undici,
    // and reading a key file as the watcher does resolves fs/promises (a boot with an inline key never does).
    expect(lines).toEqual(['token signed (3 parts)', 'undici', 'fs/promises', 'key file checked']);
  }, 60_000); // a tsx child compiling the library takes 10-20 s on a loaded 2-core machine
});
