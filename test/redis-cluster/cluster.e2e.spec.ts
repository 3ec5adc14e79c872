import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueConfigError, RedisWebhookStore } from '../../src/hotglue/index.js';
import { HotglueRedisThrottlerStorage } from '../../src/hotglue/throttler/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { connectSampleRedisCluster } from '../../src/sample/redis/connect-redis.js';
import { type RunningSample, runSample } from '../../src/sample/run-sample.js';
import { readSampleEnv } from '../../src/sample/sample-env.js';
import { RedisEventLog } from '../../src/sample/webhooks/event-log.js';
import { CapturedOutput } from '../sample/sample-test-app.js';
import { expectNoLeak } from '../support/leaks.js';
import { signHotglueWebhook } from '../support/library-internals.js';
import { type FailoverReport, hasRedisCluster, TestRedisCluster } from '../support/redis-cluster.js';

const AUTH_SECRET = 'canary-app-auth-secret-redis-cluster-9f8e7d6c5b';
const WEBHOOK_SECRET = 'canary-webhook-secret-redis-cluster-4a3b2c';
/** Requests per user and route in a minute; every hit falls within the test's 60 s, so none expires in it. */
const RATE_LIMIT = 300;
const TENANTS = Array.from({ length: 10 }, (_, i) => `tenant-${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The host's client as docs/webhooks.md wires it: no offline queue, so an outage fails fast (503). */
async function connectCluster(cluster: TestRedisCluster): Promise<Cluster> {
  const client = new Cluster(cluster.nodes, {
    lazyConnect: true,
    enableOfflineQueue: false,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('REDIS_CLUSTER_NODES (the sample on a Redis Cluster)', () => {
  it('reads a comma-separated list of redis:// or rediss:// URLs, instead of REDIS_URL, never echoed', () => {
    const nodes = 'redis://:canary-cluster-password@10.0.0.1:6379, rediss://10.0.0.2:6380';
    expect(readSampleEnv({ REDIS_CLUSTER_NODES: nodes }, false)).toMatchObject({
      env: {
        redisClusterNodes: ['redis://:canary-cluster-password@10.0.0.1:6379', 'rediss://10.0.0.2:6380'],
      },
      issues: [],
    });
    const both = readSampleEnv({ REDIS_CLUSTER_NODES: nodes, REDIS_URL: 'redis://10.0.0.1:6379' }, false);
    expect(both.issues.map((issue) => issue.path)).toEqual(['REDIS_CLUSTER_NODES']);
    const bad = readSampleEnv(
      { REDIS_CLUSTER_NODES: 'redis://10.0.0.1:6379,canary-cluster-password' },
      false,
    );
    expect(bad.issues.map((issue) => issue.path)).toEqual(['REDIS_CLUSTER_NODES']);
    expect(JSON.stringify([both.issues, bad.issues])).not.toContain('canary-cluster-password');
    expect(readSampleEnv({ REDIS_CLUSTER_NODES: ' ' }, false).env.redisClusterNodes).toBeUndefined();
  });

  it('an unreachable cluster fails the boot naming the variable, not its password', async () => {
    const failure = await connectSampleRedisCluster(
      ['redis://:canary-cluster-password@127.0.0.1:1'],
      new CapturedOutput().logger,
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HotglueConfigError);
    expect((failure as HotglueConfigError).issues.map((issue) => issue.path)).toEqual([
      'REDIS_CLUSTER_NODES',
    ]);
    expectNoLeak(String((failure as Error).message), ['canary-cluster-password'], 'error');
  });
});

describe.runIf(hasRedisCluster())(
  'Redis Cluster: 3 masters + 3 replicas, ioredis Cluster as the client',
  () => {
    const output = new CapturedOutput();
    const key = generateTestSigningKey('redis-cluster');
    const clients: Cluster[] = [];
    let cluster: TestRedisCluster;
    let emulator: HotglueEmulator;
    let a: RunningSample;
    let b: RunningSample;

    beforeAll(async () => {
      cluster = await TestRedisCluster.start();
      emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
      // Two sample instances started as `npm run start:prod` starts one, each with its own Cluster client
      // from REDIS_CLUSTER_NODES (two of the six nodes: the client discovers the rest).
      const env = {
        APP_AUTH_SECRET: AUTH_SECRET,
        APP_RATE_LIMIT: String(RATE_LIMIT),
        HOTGLUE_ENV_ID: emulator.envId,
        HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
        HOTGLUE_API_URL: emulator.url,
        HOTGLUE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HOST: '127.0.0.1',
        PORT: '0',
      };
      const start = (nodes: readonly number[]) =>
        runSample({
          env: { ...env, REDIS_CLUSTER_NODES: nodes.map((port) => `redis://127.0.0.1:${port}`).join(',') },
          allowLocal: false,
          print: (text) => output.lines.push(`PRINT ${text}`),
          logger: output.logger,
        });
      // The sample reads HOTGLUE_* through ConfigModule, i.e. from process.env: set them while it boots.
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        a = await start(cluster.ports.slice(0, 2));
        b = await start(cluster.ports.slice(3, 5));
      } finally {
        for (const name of Object.keys(env)) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
      }
    }, 60_000);

    afterAll(async () => {
      await a?.close();
      await b?.close();
      for (const client of clients) client.disconnect();
      await emulator?.close();
      await cluster?.stop();
      expectNoLeak(output.text(), [AUTH_SECRET, WEBHOOK_SECRET], 'logs');
    });

    it('runs every operation of the three stores on keys spread over all masters, without CROSSSLOT', async () => {
      const client = await connectCluster(cluster);
      clients.push(client);
      // The check can fail: two keys in different slots in one EVAL are refused by the cluster.
      await expect(client.eval("return redis.call('GET', KEYS[2])", 2, 'a', 'b')).rejects.toThrow(
        /CROSSSLOT/,
      );

      const store = new RedisWebhookStore({ client, keyPrefix: 'spec:webhook:' });
      const throttle = new HotglueRedisThrottlerStorage({ client, keyPrefix: 'spec:throttle:' });
      const events = new RedisEventLog(client, 'spec:events:');
      for (let i = 0; i < 60; i++) {
        expect(await store.claim(`delivery-${i}`, 'first', 10_000)).toBe('claimed');
        expect(await store.claim(`delivery-${i}`, 'second', 10_000)).toBe('busy');
        if (i % 2) {
          await store.release(`delivery-${i}`, 'first');
          expect(await store.claim(`delivery-${i}`, 'second', 10_000)).toBe('claimed');
          await store.complete(`delivery-${i}`, 'second', 60_000);
        } else {
          await store.complete(`delivery-${i}`, 'first', 60_000);
        }
        expect(await store.claim(`delivery-${i}`, 'third', 10_000)).toBe('done');

        // Two keys per tracker (hits and block): one slot thanks to the hash tag.
        const first = await throttle.increment(`user-${i}`, 60_000, 1, 0, `throttler-${i % 3}`);
        const second = await throttle.increment(`user-${i}`, 60_000, 1, 0, `throttler-${i % 3}`);
        expect([first.isBlocked, second.isBlocked, second.totalHits]).toEqual([false, true, 2]);

        // Tenant ids with braces and colons must not break (or share) a slot either.
        const tenantId = i % 2 ? `{odd}:${i}` : `tenant-${i}`;
        await events.add({
          id: `event-${i}`,
          kind: 'unknown',
          tenantId,
          receivedAt: new Date(0).toISOString(),
        });
        expect((await events.list(tenantId)).map((event) => event.id)).toEqual([`event-${i}`]);
      }
      // The keys really are spread: every master holds some.
      for (const { master } of await cluster.topology()) {
        expect(await cluster.node(master).dbsize()).toBeGreaterThan(0);
      }
    });

    it('through a coordinated failover of every master: each delivery processed once, none lost, one shared rate limit', async () => {
      const before = await cluster.topology();
      let failing = true;

      // Deliveries: each sent to both instances at once, each copy redelivered until it gets a 2xx, as hotglue
      // redelivers a refused delivery.
      const answers = new Map<string, string[]>();
      const statuses = new Map<number, number>();
      const deliver = async (jobId: string, tenant: string) => {
        const body = JSON.stringify({ job_id: jobId, flow_id: 'f', tenant, status: 'JOB_COMPLETED' });
        const headers = {
          'content-type': 'application/json',
          'x-hub-signature': signHotglueWebhook(WEBHOOK_SECRET, body),
        };
        const send = async (app: RunningSample) => {
          for (let attempt = 0; attempt < 100; attempt++) {
            const res = await fetch(`${app.url}/hotglue/webhooks`, { method: 'POST', headers, body });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            const { outcome } = (await res.json()) as { outcome: string };
            answers.set(jobId, [...(answers.get(jobId) ?? []), outcome]);
            if (res.status === 200) return;
            await sleep(100);
          }
          throw new Error(`delivery ${jobId} never acknowledged`);
        };
        await Promise.all([send(a), send(b)]);
      };
      const deliveries: Array<Promise<void>> = [];
      const jobs: Array<{ jobId: string; tenant: string }> = [];
      const producer = (async () => {
        for (let i = 0; failing || i < 60; i++) {
          const job = { jobId: `job-${i}`, tenant: TENANTS[i % TENANTS.length]! };
          jobs.push(job);
          deliveries.push(deliver(job.jobId, job.tenant));
          await sleep(25);
        }
      })();

      // Rate-limited requests of one user, alternating between the instances.
      const alice = signAppToken(AUTH_SECRET, { sub: 'alice', tenants: ['tenant-0'] });
      const limited: number[] = [];
      const hit = async (i: number) => {
        const res = await fetch(`${(i % 2 ? b : a).url}/hotglue/events`, {
          headers: { authorization: `Bearer ${alice}` },
        });
        await res.arrayBuffer();
        limited.push(res.status);
      };
      const requester = (async () => {
        // Stops short of the limit, so the last 20 of the budget are spent after every failover.
        for (let i = 0; failing && i < RATE_LIMIT - 20; i++) {
          await hit(i);
          await sleep(30);
        }
      })();

      const failovers: FailoverReport[] = [];
      try {
        await sleep(300);
        for (const { master } of before) {
          failovers.push(await cluster.failover(master));
          await sleep(200);
        }
      } finally {
        failing = false;
        await producer;
        await requester;
        await Promise.all(deliveries);
      }
      // Every master handed over to its replica, which had caught up first.
      expect(failovers.map((f) => f.promoted).sort()).toEqual(before.map((p) => p.replica).sort());
      expect((await cluster.topology()).map((p) => p.master).sort()).toEqual(
        before.map((p) => p.replica).sort(),
      );

      // After the failovers: the rest of the budget, then only 429s.
      for (
        let i = limited.length;
        limited.filter((s) => s === 429).length < 3 && i < 2 * RATE_LIMIT + 10;
        i++
      ) {
        await hit(i);
      }

      // None lost, none processed twice; a refusal could only be a 503 that hotglue would redeliver.
      expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      for (const { jobId } of jobs) {
        expect(
          answers.get(jobId)!.filter((o) => o === 'processed'),
          jobId,
        ).toHaveLength(1);
      }
      for (const [i, tenant] of TENANTS.entries()) {
        const checker = signAppToken(AUTH_SECRET, { sub: `checker-${i}`, tenants: [tenant] });
        const res = await fetch(`${(i % 2 ? b : a).url}/hotglue/events?tenantId=${tenant}`, {
          headers: { authorization: `Bearer ${checker}` },
        });
        expect(res.status).toBe(200);
        const listed = ((await res.json()) as Array<{ jobId: string }>).map((e) => e.jobId).sort();
        expect(listed).toEqual(
          jobs
            .filter((job) => job.tenant === tenant)
            .map((job) => job.jobId)
            .sort(),
        );
      }

      // One budget for both instances, kept through every failover: RATE_LIMIT requests passed (a 503, if
      // Redis was slower than the storage's timeout, may have counted its hit or not), never more (per
      // instance it would be twice that; a counter lost in a failover would start again), and once the first
      // was refused no later one passed.
      expect(limited.filter((s) => s !== 200 && s !== 429 && s !== 503)).toEqual([]);
      const passed = limited.filter((s) => s === 200).length;
      expect(passed).toBeLessThanOrEqual(RATE_LIMIT);
      expect(passed).toBeGreaterThanOrEqual(RATE_LIMIT - limited.filter((s) => s === 503).length);
      expect(limited.slice(limited.indexOf(429)).every((s) => s === 429)).toBe(true);
      expect(output.text()).not.toMatch(/CROSSSLOT/);
    }, 60_000);
  },
);
