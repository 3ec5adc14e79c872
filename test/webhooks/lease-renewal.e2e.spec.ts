import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HotglueWebhookStore,
  MemoryWebhookStore,
  parseHotglueEvent,
  RedisWebhookStore,
} from '../../src/hotglue/index.js';
import { deliveryKey } from '../../src/hotglue/webhooks/delivery-key.js';
import { expectNoLeak } from '../support/leaks.js';
import { hasRedisServer, TestRedisServer } from '../support/redis-server.js';
import { CANARY_SECRET, jobBody, sign, startWebhookApp } from './webhook-harness.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The dedupe key the route computes for `body` (what another instance's claim would hold). */
const keyOf = (body: string) => deliveryKey(parseHotglueEvent(JSON.parse(body)), Buffer.from(body));

interface StoreKind {
  readonly name: string;
  readonly make: (prefix: string) => HotglueWebhookStore;
}

/**
 * A handler that outlives `leaseMs` must not run a second time for a duplicate that arrives
 * meanwhile; the claim is renewed while handlers run. An orphaned claim (owner gone, no renewals) still
 * expires and is processed by the next delivery.
 */
function leaseSpecs(kind: () => StoreKind): void {
  it('1 s lease, 2.5 s handler: a duplicate meanwhile gets 503 and the handler runs once', async () => {
    const store = kind().make(`renew-${Date.now()}:`);
    const t = await startWebhookApp('express', { secret: CANARY_SECRET, store, leaseMs: 1_000 });
    try {
      const body = JSON.stringify(jobBody({ job_id: 'long', s3_root: `${kind().name}/long` }));
      const headers = { 'x-hub-signature': sign(body) };
      t.handler.gate = sleep(2_500);
      const first = t.post(body, headers);
      await sleep(300);
      // Before the fix: this one claimed the delivery once the first lease ran out and ran the handler too.
      const duplicate = await t.post(body, headers);
      expect(duplicate.status).toBe(503);
      expectNoLeak(await duplicate.text(), [CANARY_SECRET], 'response');
      const done = await first;
      expect(done.status).toBe(200);
      expect(await done.json()).toMatchObject({ outcome: 'processed' });
      expect(t.handler.events).toHaveLength(1);
      // Marked done by its owner: a later repeat is acknowledged, not run.
      t.handler.gate = undefined;
      expect(await (await t.post(body, headers)).json()).toMatchObject({ outcome: 'duplicate' });
      expect(t.handler.events).toHaveLength(1);
      expect(t.output.text()).toMatch(/refused with 503: busy/);
      expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
    } finally {
      await t.close();
    }
  });

  it('an orphaned claim (its owner died, no renewals) expires and the next delivery processes it', async () => {
    const store = kind().make(`orphan-${Date.now()}:`);
    const t = await startWebhookApp('express', { secret: CANARY_SECRET, store, leaseMs: 1_000 });
    try {
      const body = JSON.stringify(jobBody({ job_id: 'orphan', s3_root: `${kind().name}/orphan` }));
      const headers = { 'x-hub-signature': sign(body) };
      // Another instance claimed the delivery and was killed before it renewed or completed.
      expect(await store.claim(keyOf(body), 'dead-instance:1', 600)).toBe('claimed');
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5 && t.handler.events.length === 0; attempt++) {
        const res = await t.post(body, headers);
        statuses.push(res.status);
        if (res.status !== 200) await sleep(300);
      }
      expect(statuses.at(-1)).toBe(200);
      expect(t.handler.events).toHaveLength(1);
      expect(await (await t.post(body, headers)).json()).toMatchObject({ outcome: 'duplicate' });
    } finally {
      await t.close();
    }
  });
}

describe('lease renewal on MemoryWebhookStore', () => {
  leaseSpecs(() => ({ name: 'memory', make: () => new MemoryWebhookStore() }));

  it('a renewal that finds the claim gone: 503, not marked done, one escaped log line, no secret', async () => {
    /** A store that forgets every claim as soon as it is renewed (as a flushed Redis would). */
    class ForgetfulStore extends MemoryWebhookStore {
      override async renew(key: string, owner: string): Promise<boolean> {
        await this.release(key, owner);
        return false;
      }
    }
    const t = await startWebhookApp('express', {
      secret: CANARY_SECRET,
      store: new ForgetfulStore(),
      leaseMs: 300,
    });
    try {
      const body = JSON.stringify(jobBody({ job_id: 'lost', s3_root: 'memory/lost' }));
      const headers = { 'x-hub-signature': sign(body) };
      t.handler.gate = sleep(600);
      const res = await t.post(body, headers);
      expect(res.status).toBe(503);
      expectNoLeak(await res.text(), [CANARY_SECRET], 'response');
      expect(t.handler.events).toHaveLength(1);
      const lines = t.output.lines.filter((line) => line.includes('lease-lost'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`(delivery "${keyOf(body)}")`);
      // Not marked done: the redelivery runs the handler again (at least once, never lost).
      t.handler.gate = undefined;
      expect((await t.post(body, headers)).status).toBe(200);
      expect(t.handler.events).toHaveLength(2);
      expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
    } finally {
      await t.close();
    }
  });
});

describe.runIf(hasRedisServer())('lease renewal on RedisWebhookStore (real redis-server)', () => {
  let redis: TestRedisServer;
  let client: Redis;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
    client = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });
  leaseSpecs(() => ({ name: 'redis', make: (keyPrefix) => new RedisWebhookStore({ client, keyPrefix }) }));
});
