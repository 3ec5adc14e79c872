/**
 * `HotglueWebhooksOptions` is written by hand for its JSDoc; the schema is what validates. These checks fail
 * to compile the moment the two disagree on a field, its optionality or its type.
 */
import type * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { HotglueConfigError } from '../hotglue.errors.js';
import type { HotglueWebhookQueueOptions } from './queue/queue-options.js';
import { webhookQueueOptionsSchema } from './queue/queue-options.js';
import {
  type HotglueWebhooksOptions,
  validateWebhookOptions,
  webhookOptionsSchema,
} from './webhook-options.js';

type Plain<T> = { -readonly [K in keyof T]: T[K] };

describe('HotglueWebhooksOptions and its schema', () => {
  it('has exactly the fields, optionality and types of the schema input', () => {
    expectTypeOf<Plain<HotglueWebhooksOptions>>().toEqualTypeOf<
      Plain<v.InferInput<typeof webhookOptionsSchema>>
    >();
    expectTypeOf<Plain<HotglueWebhookQueueOptions>>().toEqualTypeOf<
      Plain<v.InferInput<typeof webhookQueueOptionsSchema>>
    >();
  });

  it('reports every problem at once, each under its option path, values never echoed', () => {
    let error: unknown;
    try {
      validateWebhookOptions({
        secret: 42,
        maxBodyBytes: 2048,
        maxInFlightBodyBytes: 1024,
        bodyTimeoutMs: 1.5,
        replayWindowMs: 10_000,
        dedupeTtlMs: 5_000,
        queue: { connection: 'http://user:CANARY@host', attempts: 0, retries: 3 },
        secrets: { job: 7, webhook: 'CANARY' },
        timeout: 1,
      } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HotglueConfigError);
    const issues = (error as HotglueConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    expect(issues).toEqual([
      'webhooks.secret (HOTGLUE_WEBHOOK_SECRET): must be a string.',
      'webhooks.secrets.job (HOTGLUE_WEBHOOK_SECRET_JOB): must be a string.',
      'webhooks.secrets: allows only job, discover and connection.',
      'webhooks.bodyTimeoutMs: must be a whole number from 100 to 600000.',
      'webhooks.queue.connection (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL): must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379.',
      'webhooks.queue.attempts: must be a whole number from 1 to 100.',
      expect.stringMatching(/^webhooks\.queue\.retries: is not a queue option \(connection, /),
      expect.stringMatching(/^webhooks\.timeout: is not a webhook option \(secret, secrets, /),
      'webhooks.maxInFlightBodyBytes: must be a whole number from webhooks.maxBodyBytes (2048) to 1073741824 (1 GiB): a smaller budget could never admit one body.',
      'webhooks.dedupeTtlMs: must be at least webhooks.replayWindowMs, or a replay inside the window would be processed again.',
    ]);
    expect(issues.join('\n')).not.toContain('CANARY');
  });

  it('applies the defaults, the dedupe window following the replay window', () => {
    const options = validateWebhookOptions({
      replayWindowMs: 60_000,
      queue: { connection: 'redis://127.0.0.1' },
    });
    expect(options.dedupeTtlMs).toBe(60_000 + 3_600_000);
    expect(options.queue).toMatchObject({ attempts: 8, worker: true, keepCompletedMs: 60_000 + 3_600_000 });
    expect(options.maxInFlightBodyBytes).toBe(16 * 1024 * 1024);
    expect(options.secrets).toEqual({ job: undefined, discover: undefined, connection: undefined });
  });
});
