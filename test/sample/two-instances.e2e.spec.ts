import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { expectNoLeak } from '../support/leaks.js';
import { hasRedisServer, TestRedisServer } from '../support/redis-server.js';
import { CapturedOutput, type SampleTestApp, startSampleTestApp } from './sample-test-app.js';

const AUTH_SECRET = 'canary-app-auth-secret-two-instances-1a2b3c4d5e';
const WEBHOOK_SECRET = 'canary-webhook-secret-two-instances-6f7a8b';
const sign = (body: string) => createHmac('sha1', WEBHOOK_SECRET).update(body).digest('hex');
const alice = signAppToken(AUTH_SECRET, { sub: 'alice', tenants: ['tenant-a'] });
const bob = signAppToken(AUTH_SECRET, { sub: 'bob', tenants: ['tenant-a'] });

/** Two sample instances sharing one real redis-server through REDIS_URL-style clients, as two processes would. */
describe.runIf(hasRedisServer())('two sample instances sharing Redis', () => {
  const output = new CapturedOutput();
  const key = generateTestSigningKey('two-instances');
  const clients: Redis[] = [];
  let redis: TestRedisServer;
  let emulator: HotglueEmulator;
  let a: SampleTestApp;
  let b: SampleTestApp;

  beforeAll(async () => {
    redis = await TestRedisServer.start();
    emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
    const hotglue = { envId: emulator.envId, signingKey: key.privateKeyBase64, apiUrl: emulator.url };
    const start = async () => {
      const client = new Redis(redis.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      client.on('error', () => undefined);
      await client.connect();
      clients.push(client);
      return startSampleTestApp(
        {
          authSecret: AUTH_SECRET,
          hotglue,
          webhookSecret: WEBHOOK_SECRET,
          redis: client,
          rateLimit: { limit: 4, ttlMs: 60_000 },
          docs: false,
        },
        output,
      );
    };
    a = await start();
    b = await start();
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const client of clients) client.disconnect();
    await emulator?.close();
    await redis?.stop();
    expectNoLeak(output.text(), [AUTH_SECRET, WEBHOOK_SECRET], 'logs');
  });

  const deliver = (app: SampleTestApp, body: string) =>
    fetch(`${app.url}/hotglue/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': sign(body) },
      body,
    });
  const list = async (app: SampleTestApp, bearer = alice) => {
    const res = await fetch(`${app.url}/hotglue/events`, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: res.status, body: (await res.json()) as Array<{ id: string; status?: string }> };
  };

  it('processes a delivery sent to both instances at once exactly once, and both list it', async () => {
    const body = JSON.stringify({
      job_id: 'twin',
      flow_id: 'f',
      tenant: 'tenant-a',
      status: 'JOB_COMPLETED',
      last_updated: new Date().toISOString(),
    });
    const answers = await Promise.all([
      deliver(a, body),
      deliver(b, body),
      deliver(a, body),
      deliver(b, body),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const outcomes = await Promise.all(
      answers.map(async (r) => ((await r.json()) as { outcome: string }).outcome),
    );
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    const fromA = (await list(a, bob)).body.filter((e) => e.status === 'JOB_COMPLETED');
    const fromB = (await list(b, bob)).body.filter((e) => e.status === 'JOB_COMPLETED');
    expect(fromA).toHaveLength(1);
    expect(fromB).toEqual(fromA);
  });

  it('shares the per-user rate limit: the budget spent on one instance is gone on the other', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await list(i % 2 ? b : a)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('Redis down: deliveries answer 503 and nothing is lost; the redelivery after recovery is processed once', async () => {
    const body = JSON.stringify({
      event: 'LINKED_SOURCE_REMOVED',
      tenant: 'tenant-a',
      flow_id: 'f',
      tap: 'gone',
    });
    await redis.stop();
    expect((await deliver(a, body)).status).toBe(503);
    expect((await deliver(b, body)).status).toBe(503);
    await redis.start();
    for (let i = 0; i < 400 && clients.some((c) => c.status !== 'ready'); i++)
      await new Promise((r) => setTimeout(r, 25));
    // The restarted server is empty (no persistence), as after a failover to an empty replica.
    expect((await deliver(b, body)).status).toBe(200);
    expect(((await (await deliver(a, body)).json()) as { outcome: string }).outcome).toBe('duplicate');
    const listed = (await list(a, signAppToken(AUTH_SECRET, { sub: 'carl', tenants: ['tenant-a'] }))).body;
    expect(listed.filter((e) => (e as { entityId?: string }).entityId === 'gone')).toHaveLength(1);
  });
});
