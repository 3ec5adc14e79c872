import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CANARY_SECRET } from './queue-harness.js';

const run = promisify(execFile);

describe('inline mode without bullmq', () => {
  it('processes deliveries with bullmq unresolvable and never tries to load it; queue mode then fails the boot naming the install', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotglue-no-bullmq-'));
    try {
      const file = join(dir, 'attempts.txt');
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          '--import',
          fileURLToPath(new URL('./fixtures/block-bullmq.mjs', import.meta.url)),
          fileURLToPath(new URL('./fixtures/no-bullmq-app.ts', import.meta.url)),
        ],
        { env: { ...process.env, BULLMQ_ATTEMPTS_FILE: file, SPEC_SECRET: CANARY_SECRET }, timeout: 60_000 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(result).toMatchObject({
        status: 200,
        outcome: 'processed',
        handled: 1,
        triedAfterInline: false,
        triedAfterQueue: true,
      });
      expect(result.queueBoot).toMatch(
        /webhooks\.queue: needs the packages bullmq and ioredis: npm install bullmq ioredis/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
