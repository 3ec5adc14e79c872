import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisWebhookStore } from '../../src/hotglue/index.js';
import { HotglueRedisThrottlerStorage } from '../../src/hotglue/throttler/index.js';
import { expectNoLeak } from '../support/leaks.js';
import { hasRedisServer, TestRedisServer } from '../support/redis-server.js';
import { CANARY_SECRET, jobBody, sign, startWebhookApp } from './webhook-harness.js';

/** The client options the docs recommend: fail at once while Redis is down instead of queueing. */
const connect = async (url: string) => {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
  return client;
};

const waitReady = async (client: Redis) => {
  for (let i = 0; i < 400 && client.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 25));
  expect(client.status).toBe('ready');
};

describe.runIf(hasRedisServer())('Redis stores on a real redis-server', () => {
  let redis: TestRedisServer;
  let client: Redis;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
    client = await connect(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('RedisWebhookStore: SET NX PX claim, busy, done, release by owner only, expiry', async () => {
    const store = new RedisWebhookStore({ client, keyPrefix: 'spec1:' });
    expect(await store.claim('k', 'a', 5_000)).toBe('claimed');
    expect(await store.claim('k', 'b', 5_000)).toBe('busy');
    await store.release('k', 'b');
    expect(await store.claim('k', 'b', 5_000)).toBe('busy');
    await store.release('k', 'a');
    expect(await store.claim('k', 'b', 5_000)).toBe('claimed');
    await store.complete('k', 'b', 5_000);
    expect(await store.claim('k', 'c', 5_000)).toBe('done');
    expect(await client.pttl('spec1:k')).toBeGreaterThan(0);
    expect(await store.claim('short', 'a', 30)).toBe('claimed');
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.claim('short', 'b', 1000)).toBe('claimed');
  });

  it('RedisWebhookStore.renew: GET == owner then PEXPIRE, nothing for another owner, an expired or a done key', async () => {
    const store = new RedisWebhookStore({ client, keyPrefix: 'spec4:' });
    expect(await store.claim('k', 'a', 200)).toBe('claimed');
    expect(await store.renew('k', 'b', 5_000)).toBe(false);
    expect(await client.pttl('spec4:k')).toBeLessThanOrEqual(200);
    expect(await store.renew('k', 'a', 5_000)).toBe(true);
    expect(await client.pttl('spec4:k')).toBeGreaterThan(1_000);
    expect(await client.get('spec4:k')).toBe('a');
    await store.complete('k', 'a', 5_000);
    expect(await store.renew('k', 'a', 5_000)).toBe(false);
    expect(await client.get('spec4:k')).toBe('done');
    expect(await store.claim('gone', 'a', 30)).toBe('claimed');
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.renew('gone', 'a', 5_000)).toBe(false);
    expect(await client.exists('spec4:gone')).toBe(0);
    // complete and release by a stale owner leave another owner's claim alone.
    expect(await store.claim('k2', 'b', 5_000)).toBe('claimed');
    await store.complete('k2', 'a', 5_000);
    await store.release('k2', 'a');
    expect(await client.get('spec4:k2')).toBe('b');
  });

  it('HotglueRedisThrottlerStorage counts per key across clients and blocks past the limit', async () => {
    const other = await connect(redis.url);
    try {
      const a = new HotglueRedisThrottlerStorage({ client, keyPrefix: 'spec2:' });
      const b = new HotglueRedisThrottlerStorage({ client: other, keyPrefix: 'spec2:' });
      const hits = [];
      for (let i = 0; i < 3; i++)
        hits.push(await (i % 2 ? b : a).increment('user:1', 60_000, 2, 0, 'default'));
      expect(hits.map((h) => h.totalHits)).toEqual([1, 2, 3]);
      expect(hits.map((h) => h.isBlocked)).toEqual([false, false, true]);
      expect(hits[2]!.timeToBlockExpire).toBe(60);
      expect((await a.increment('user:2', 60_000, 2, 0, 'default')).isBlocked).toBe(false);
    } finally {
      other.disconnect();
    }
  });

  it('store down: the route answers 503 and runs nothing; once Redis is back the redelivery is processed', async () => {
    const store = new RedisWebhookStore({ client, keyPrefix: 'spec3:', timeoutMs: 500 });
    const t = await startWebhookApp('express', { secret: CANARY_SECRET, store });
    try {
      const body = JSON.stringify(jobBody({ job_id: 'failover' }));
      const headers = { 'x-hub-signature': sign(body) };
      await redis.stop();
      const down = await t.post(body, headers);
      expect(down.status).toBe(503);
      expectNoLeak(await down.text(), [CANARY_SECRET], 'response');
      expect(t.handler.events).toHaveLength(0);
      await redis.start();
      await waitReady(client);
      const up = await t.post(body, headers);
      expect(await up.json()).toMatchObject({ outcome: 'processed' });
      expect(t.handler.events).toHaveLength(1);
      expect(await (await t.post(body, headers)).json()).toMatchObject({ outcome: 'duplicate' });
      expect(t.output.text()).toMatch(/refused with 503: store-unavailable/);
      expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
    } finally {
      await t.close();
    }
  });
});
