import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HotglueConfigError,
  HotglueWebhooksModule,
  hotglueWebhooksOptionsFromEnv,
} from '../../../src/hotglue/index.js';
import { expectNoLeak } from '../../support/leaks.js';
import { hasRedisServer, TestRedisServer } from '../../support/redis-server.js';
import {
  CANARY_SECRET,
  deliveryBody,
  HandlerScript,
  type QueueTestApp,
  startQueueApp,
  waitFor,
} from './queue-harness.js';

/** A handler error whose message must never be stored nor logged. */
class LedgerError extends Error {
  readonly code = 'LEDGER_DOWN';
  constructor() {
    super(`ledger refused ${CANARY_SECRET}`);
    this.name = 'LedgerError';
  }
}

describe('queue mode: options', () => {
  const boot = (options: object) => startQueueApp('x', new HandlerScript(), options as never);

  it('an unknown webhook option fails the boot naming the key', async () => {
    const error = await boot({ secret: CANARY_SECRET, queu: { connection: 'redis://127.0.0.1:1' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HotglueConfigError);
    expect((error as HotglueConfigError).issues.map((issue) => issue.path)).toEqual(['webhooks.queu']);
  });

  it('an unknown or bad queue option fails the boot naming it, never echoing the URL', async () => {
    const error = await boot({
      secret: CANARY_SECRET,
      queue: { connection: `http://:${CANARY_SECRET}@x`, atempts: 3, backoffMs: -1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueConfigError);
    expect((error as HotglueConfigError).issues.map((issue) => issue.path).sort()).toEqual([
      'webhooks.queue.atempts',
      'webhooks.queue.backoffMs',
      'webhooks.queue.connection (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL)',
    ]);
    expectNoLeak((error as Error).message, [CANARY_SECRET], 'error');
    const missing = await boot({ secret: CANARY_SECRET, queue: {} }).catch((e: unknown) => e);
    expect((missing as HotglueConfigError).issues.map((issue) => issue.path)).toEqual([
      'webhooks.queue.connection (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL)',
    ]);
  });

  it('HOTGLUE_WEBHOOK_QUEUE_REDIS_URL turns queue mode on through hotglueWebhooksConfig', () => {
    expect(
      hotglueWebhooksOptionsFromEnv({
        HOTGLUE_WEBHOOK_SECRET: 's',
        HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: ' redis://127.0.0.1:6390/2 ',
      }),
    ).toEqual({ secret: 's', queue: { connection: 'redis://127.0.0.1:6390/2' } });
    expect(
      hotglueWebhooksOptionsFromEnv({ HOTGLUE_EU_WEBHOOK_QUEUE_REDIS_URL: 'redis://h:1' }, 'eu'),
    ).toMatchObject({ environment: 'eu', queue: { connection: 'redis://h:1' } });
    expect(hotglueWebhooksOptionsFromEnv({ HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: ' ' })).toEqual({});
    expect(HotglueWebhooksModule).toBeDefined();
  });
});

describe.runIf(hasRedisServer())('queue mode on a real redis-server', () => {
  let redis: TestRedisServer;
  const apps: QueueTestApp[] = [];
  let prefixes = 0;
  /** Each test gets its own queue (prefix), so counts and ids never mix. */
  const queueOptions = (extra: Record<string, unknown> = {}) => ({
    connection: redis.url,
    prefix: `{spec-${++prefixes}}`,
    backoffMs: 20,
    ...extra,
  });
  const start = async (...args: Parameters<typeof startQueueApp>) => {
    const app = await startQueueApp(...args);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    redis = await TestRedisServer.start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const app of apps) expectNoLeak(app.output.text(), [CANARY_SECRET], 'logs');
    await redis?.destroy();
  });

  it('answers 2xx "queued" once stored; a worker runs the handlers once; duplicates to another instance run nothing', async () => {
    const script = new HandlerScript();
    const queue = queueOptions();
    const a = await start('a', script, { secret: CANARY_SECRET, queue });
    const b = await start('b', script, { secret: CANARY_SECRET, queue });
    const body = deliveryBody('dup');
    const first = await a.post(body);
    expect(first.status).toBe(200);
    const ack = (await first.json()) as { outcome: string; id: string };
    expect(ack).toMatchObject({ received: true, outcome: 'queued' });
    await waitFor(() => script.successes.length === 1, 10_000, 'the handler');
    expect(script.successes[0]!.id).toBe(ack.id);
    // Redeliveries, to either instance, while the queue remembers the id: 2xx, nothing runs again.
    for (const app of [b, a, b]) {
      const again = await app.post(body);
      expect(again.status).toBe(200);
      expect(((await again.json()) as { id: string }).id).toBe(ack.id);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(script.starts.map((s) => s.id)).toEqual([ack.id]);
    expect(await a.queue.counts()).toMatchObject({ completed: 1, waiting: 0, failed: 0 });
  });

  it('retries a failing handler with the same delivery; exhausted ones stay failed with name and code only, and can be retried', async () => {
    const script = new HandlerScript();
    const a = await start('a', script, {
      secret: CANARY_SECRET,
      queue: queueOptions({ attempts: 3 }),
    });
    const flaky = deliveryBody('flaky');
    const broken = deliveryBody('broken');
    let flakyFailures = 0;
    let ledgerUp = false;
    const jobOf = (event: unknown) => (event as { jobId?: string }).jobId;
    script.fail = (_delivery, _first, event) => {
      if (jobOf(event) === 'job-flaky' && flakyFailures < 2) {
        flakyFailures += 1;
        return new Error(`flaky ${CANARY_SECRET}`);
      }
      if (jobOf(event) === 'job-broken' && !ledgerUp) return new LedgerError();
      return undefined;
    };
    const flakyId = ((await (await a.post(flaky)).json()) as { id: string }).id;
    const brokenId = ((await (await a.post(broken)).json()) as { id: string }).id;
    await waitFor(() => script.successCount(flakyId) === 1, 10_000, 'the flaky delivery');
    // Three tries in all (attempts counts the first), each with the same delivery id and receivedAt.
    const flakyRuns = script.starts.filter((s) => s.id === flakyId);
    expect(flakyRuns).toHaveLength(3);
    expect(new Set(flakyRuns.map((s) => s.receivedAt.toISOString())).size).toBe(1);

    await waitFor(async () => (await a.queue.counts()).failed === 1, 10_000, 'the exhausted delivery');
    expect(script.starts.filter((s) => s.id === brokenId)).toHaveLength(3);
    const [failed] = await a.queue.listFailed();
    expect(failed).toMatchObject({ id: brokenId, attemptsMade: 3, error: 'LedgerError (LEDGER_DOWN)' });
    // The status view: each delivery in its state, with the tenant its event names (stored beside the body).
    const recent = await a.queue.recentDeliveries();
    expect(recent.find((d) => d.id === brokenId)).toMatchObject({
      state: 'failed',
      attemptsMade: 3,
      tenantId: 'tenant-1',
    });
    expect(recent.find((d) => d.id === flakyId)).toMatchObject({ state: 'processed', tenantId: 'tenant-1' });
    expect(recent.filter((d) => d.id === flakyId)).toHaveLength(1);
    // Nothing of the handler's message is stored in Redis (failedReason, stacktrace) or logged.
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('*');
      const dump = await Promise.all(
        keys.map(async (key) =>
          (await client.type(key)) === 'hash' ? JSON.stringify(await client.hgetall(key)) : '',
        ),
      );
      expect(dump.join('\n')).toContain('LedgerError (LEDGER_DOWN)');
      expectNoLeak(dump.join('\n'), [CANARY_SECRET, 'ledger refused'], 'redis');
    } finally {
      client.disconnect();
    }
    expect(a.output.text()).toMatch(/no tries left/);

    // A redelivery of an exhausted delivery is still a duplicate: the host retries it.
    expect((await a.post(broken)).status).toBe(200);
    ledgerUp = true;
    expect(await a.queue.retryFailed([brokenId, 'no-such-delivery'])).toBe(1);
    await waitFor(() => script.successCount(brokenId) === 1, 10_000, 'the retried delivery');
    expect(await a.queue.listFailed()).toEqual([]);
  });

  it('Redis down: 503 with Retry-After within the add bound, nothing acknowledged; back up: the redelivery is queued and processed', async () => {
    const script = new HandlerScript();
    const a = await start('a', script, {
      secret: CANARY_SECRET,
      queue: queueOptions({ addTimeoutMs: 500 }),
    });
    const body = deliveryBody('outage');
    await redis.stop();
    try {
      const started = Date.now();
      const down = await a.post(body);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Date.now() - started).toBeLessThan(5_000);
      expectNoLeak(await down.text(), [CANARY_SECRET], 'response');
    } finally {
      await redis.start();
    }
    await waitFor(
      async () => (await a.post(body)).status === 200,
      15_000,
      'the queue to accept deliveries again',
    );
    await waitFor(() => script.successes.length === 1, 15_000, 'the handler');
    expect(a.output.text()).toMatch(/refused with 503: queue-unavailable/);
  });
});
