import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runWebhookQueueCommand } from '../../../src/cli/webhook-queue-command.js';
import { expectNoLeak } from '../../support/leaks.js';
import { hasRedisServer, TestRedisServer } from '../../support/redis-server.js';
import { CANARY_SECRET, deliveryBody, HandlerScript, startQueueApp, waitFor } from './queue-harness.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BIN = fileURLToPath(new URL('../../../src/cli/nestjs-hotglue.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));

/** `nestjs-hotglue` from its sources, in a scratch directory (no .env), with only `env` set. */
function cli(args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, BIN, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TSX_TSCONFIG_PATH: TSCONFIG, ...env },
        timeout: 60_000,
      },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

describe.runIf(hasRedisServer())('nestjs-hotglue webhooks-failed / webhooks-retry', () => {
  let redis: TestRedisServer;
  let dir: string;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
    dir = mkdtempSync(join(tmpdir(), 'hotglue-queue-cli-'));
  });
  afterAll(async () => {
    await redis?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists an exhausted delivery (name and code only) and moves it back; the worker then runs it', async () => {
    const script = new HandlerScript();
    let broken = true;
    script.fail = () =>
      broken ? Object.assign(new TypeError(`bad ${CANARY_SECRET}`), { code: 'E_BAD' }) : undefined;
    const prefix = '{cli-spec}';
    const app = await startQueueApp('a', script, {
      secret: CANARY_SECRET,
      queue: { connection: redis.url, prefix, attempts: 1 },
    });
    try {
      const id = ((await (await app.post(deliveryBody('cli'))).json()) as { id: string }).id;
      await waitFor(async () => (await app.queue.counts()).failed === 1, 10_000, 'the failure');
      const password = 'canary-redis-password-in-url';
      const env = { HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: redis.url };
      const listed = await cli(['webhooks-failed', '--prefix', prefix], env, dir);
      expect(listed.code).toBe(0);
      const failed = JSON.parse(listed.out) as Array<Record<string, unknown>>;
      expect(failed).toEqual([expect.objectContaining({ id, attemptsMade: 1, error: 'TypeError (E_BAD)' })]);
      expectNoLeak(listed.out, [CANARY_SECRET], 'cli output');

      // The command's code in this process (one CLI boot above proves the wiring; each costs seconds).
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
      const error = vi.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
      const run = (env: Record<string, string>, ids: string[] = [], command = 'webhooks-retry' as const) =>
        runWebhookQueueCommand(env, {
          command,
          ids,
          name: undefined,
          prefix,
          queue: undefined,
          limit: 100,
          timeoutMs: 1_500,
        });
      try {
        broken = false;
        expect(await run(env, [id])).toBe(0);
        expect(printed.pop()).toBe('1 failed delivery moved back to the queue.');
        await waitFor(() => script.successCount(id) === 1, 10_000, 'the retried delivery');
        expect(await run({})).toBe(1);
        expect(printed.pop()).toMatch(/HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: is not set/);
        expect(await run({ HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: `redis://:${password}@127.0.0.1:1` })).toBe(5);
        expect(printed.pop()).toMatch(/did not answer within 1500 ms/);
        expectNoLeak(printed.join('\n'), [password], 'cli output');
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
    } finally {
      await app.close();
    }
  }, 90_000);
});
