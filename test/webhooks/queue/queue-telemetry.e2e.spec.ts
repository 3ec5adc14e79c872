import { Injectable, Module } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getHotglueEnvironment,
  type HotglueDelivery,
  HotglueModule,
  HotglueWebhooksModule,
  OnHotglueEvent,
} from '../../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../../src/hotglue-testing/index.js';
import { HOTGLUE_METRICS } from '../../support/library-internals.js';
import { TestOtelSdk } from '../../support/otel-sdk.js';
import { hasRedisServer, TestRedisServer } from '../../support/redis-server.js';
import { sign } from '../webhook-harness.js';
import { deliveryBody, waitFor } from './queue-harness.js';

const otel = new TestOtelSdk();
const { spans } = otel;
const SECRET = 'whsec-queue-telemetry';

const points = (name: string) => otel.points(name);

const fails = true;
let runs = 0;

@Injectable()
class Handler {
  @OnHotglueEvent('job')
  run(event: { jobId: string }, _delivery: HotglueDelivery): void {
    runs += 1;
    if (fails && event.jobId === 'job-dead') throw new RangeError('always');
  }
}

describe.runIf(hasRedisServer())('queue mode telemetry', () => {
  let redis: TestRedisServer;
  beforeAll(async () => {
    otel.register();
    redis = await TestRedisServer.start();
  });
  afterAll(async () => {
    await otel.shutdown();
    await redis?.destroy();
  });

  it('counts tries by outcome and observes depth, oldest waiting age and dead letters; processing spans link to the delivery', async () => {
    const key = generateTestSigningKey('queue-otel');
    @Module({
      imports: [
        HotglueModule.forRoot({
          envId: 'dev.example.hotglue.xyz',
          signingKey: key.privateKeyBase64,
          apiUrl: 'http://127.0.0.1:9',
        }),
        HotglueWebhooksModule.forRoot({
          secret: SECRET,
          queue: { connection: redis.url, attempts: 2, backoffMs: 10, prefix: '{otel}' },
        }),
      ],
      providers: [Handler],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const route = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/hotglue/webhooks`;
      for (const n of ['ok', 'dead']) {
        const body = deliveryBody(n);
        const answer = await fetch(route, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature': sign(body, SECRET) },
          body,
        });
        expect(answer.status).toBe(200);
      }
      await waitFor(() => runs === 3, 10_000, 'three tries');
      await waitFor(
        async () => (await points(HOTGLUE_METRICS.webhookDeadLetters)).some((point) => point.value === 1),
        10_000,
        'the dead letter gauge',
      );
      const attempts = await points(HOTGLUE_METRICS.webhookJobAttempts);
      const byOutcome = Object.fromEntries(
        attempts.map((point) => [point.attributes['hotglue.webhook.job.outcome'], point.value]),
      );
      expect(byOutcome).toEqual({ succeeded: 1, failed: 1, 'dead-letter': 1 });
      expect((await points(HOTGLUE_METRICS.webhookQueueDepth)).map((point) => point.value)).toEqual([0]);
      expect((await points(HOTGLUE_METRICS.webhookQueueOldestAge)).map((point) => point.value)).toEqual([0]);
      const processing = spans.getFinishedSpans().filter((span) => span.name === 'hotglue.webhook process');
      expect(processing).toHaveLength(3);
      expect(processing.filter((span) => span.status.code === 2)).toHaveLength(2);

      // The link: a job carrying the HTTP delivery's traceparent starts a span linked to it.
      const telemetry = getHotglueEnvironment(app.get(ModuleRef)).telemetry;
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      telemetry.startWebhookJob({ deliveryId: 'job-x', attempt: 1, traceparent })!.end('succeeded');
      const linked = spans.getFinishedSpans().at(-1)!;
      expect(linked.links.map((link) => link.context.spanId)).toEqual(['b7ad6b7169203331']);
      expect(linked.attributes['hotglue.webhook.delivery_id']).toBe('job-x');
    } finally {
      await app.close();
    }
  }, 60_000);
});
