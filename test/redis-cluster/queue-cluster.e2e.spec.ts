import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../support/leaks.js';
import { hasRedisCluster, TestRedisCluster } from '../support/redis-cluster.js';
import {
  CANARY_SECRET,
  deliveryBody,
  HandlerScript,
  type QueueTestApp,
  startQueueApp,
  waitFor,
} from '../webhooks/queue/queue-harness.js';

describe.runIf(hasRedisCluster())('webhook queue mode on a Redis Cluster (3 masters + 3 replicas)', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  const apps: QueueTestApp[] = [];

  beforeAll(async () => {
    cluster = await TestRedisCluster.start();
    // The host's client as docs/webhooks.md wires it; the queue needs no option beyond it (hash-tagged prefix).
    client = new Cluster(cluster.nodes, {
      lazyConnect: true,
      enableOfflineQueue: false,
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    client.on('error', () => undefined);
    await client.connect();
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const app of apps) expectNoLeak(app.output.text(), [CANARY_SECRET], 'logs');
    client?.disconnect();
    await cluster?.stop();
  });

  it('two instances sharing a Cluster client: 200 deliveries sent twice, 30% failing first tries, each succeeds exactly once', async () => {
    const script = new HandlerScript();
    script.fail = (_delivery, firstTry, event) => {
      const n = Number((event as { jobId: string }).jobId.slice('job-'.length));
      return firstTry && n % 10 < 3 ? new Error('first try fails') : undefined;
    };
    const queue = { connection: client, backoffMs: 20 };
    apps.push(await startQueueApp('a', script, { secret: CANARY_SECRET, queue }));
    apps.push(await startQueueApp('b', script, { secret: CANARY_SECRET, queue }));
    const ids = new Set<string>();
    const sends = Array.from({ length: 400 }, (_, i) => i % 200);
    let next = 0;
    const sender = async () => {
      while (next < sends.length) {
        const n = sends[next++]!;
        const answer = await apps[Math.floor(Math.random() * 2)]!.post(deliveryBody(n));
        expect(answer.status).toBe(200);
        ids.add(((await answer.json()) as { id: string }).id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    await waitFor(() => new Set(script.successes.map((s) => s.id)).size === 200, 60_000, 'every delivery');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(script.successes).toHaveLength(200);
    expect(new Set(script.successes.map((s) => s.id))).toEqual(ids);
    expect(script.starts).toHaveLength(200 + 60);
    // Every key of the queue sits on one master: the default prefix is a hash tag.
    const perMaster = await Promise.all(
      client.nodes('master').map(async (node) => (await node.keys('{hotglue-webhooks}:*')).length),
    );
    expect(perMaster.filter((count) => count > 0)).toHaveLength(1);
    expect(Math.max(...perMaster)).toBeGreaterThan(200);
    expect(await apps[0]!.queue.counts()).toMatchObject({ completed: 200, failed: 0, waiting: 0 });
  }, 120_000);
});
