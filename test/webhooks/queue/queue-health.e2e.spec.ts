import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueHealthIndicator } from '../../../src/hotglue/health/index.js';
import { HotglueWebhooksModule } from '../../../src/hotglue/index.js';
import { hasRedisServer, TestRedisServer } from '../../support/redis-server.js';
import { CANARY_SECRET } from './queue-harness.js';

describe.runIf(hasRedisServer())('HotglueHealthIndicator.isWebhookQueueHealthy', () => {
  let redis: TestRedisServer;
  beforeAll(async () => {
    redis = await TestRedisServer.start();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  const boot = async (queue: boolean) => {
    @Module({
      imports: [
        TerminusModule,
        HotglueWebhooksModule.forRoot({
          secret: CANARY_SECRET,
          ...(queue ? { queue: { connection: redis.url, worker: false, addTimeoutMs: 200 } } : {}),
        }),
      ],
      providers: [HotglueHealthIndicator],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  };

  it('reports the queue Redis up with its counts, down when Redis is gone or the app runs inline', async () => {
    const app = await boot(true);
    try {
      const health = app.get(HotglueHealthIndicator);
      expect(await health.isWebhookQueueHealthy()).toEqual({
        hotglueWebhookQueue: expect.objectContaining({
          status: 'up',
          redisReachable: true,
          prefix: '{hotglue-webhooks}',
          worker: false,
          waiting: 0,
          failed: 0,
          oldestWaitingAgeMs: 0,
        }),
      });
      await redis.stop();
      expect(await health.isWebhookQueueHealthy('q', { timeoutMs: 300 })).toEqual({
        q: expect.objectContaining({ status: 'down', redisReachable: false }),
      });
      await redis.start();
    } finally {
      await app.close();
    }
    const inline = await boot(false);
    try {
      expect(await inline.get(HotglueHealthIndicator).isWebhookQueueHealthy()).toEqual({
        hotglueWebhookQueue: { status: 'down', reason: 'not-queue-mode' },
      });
    } finally {
      await inline.close();
    }
  }, 30_000);
});
