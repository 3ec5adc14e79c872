import { createSecretKey } from 'node:crypto';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { HotglueHealthIndicator } from '../hotglue/health/index.js';
import { HotglueModule, HotglueWebhooksModule, hotglueConfig, RedisWebhookStore } from '../hotglue/index.js';
import { HotglueMemoryThrottlerStorage, HotglueRedisThrottlerStorage } from '../hotglue/throttler/index.js';
import { AppAuthGuard } from './auth/index.js';
import { DemoSessionController } from './demo/demo-session.controller.js';
import { HealthController } from './health/health.controller.js';
import { HotglueTokenController } from './hotglue/hotglue-token.controller.js';
import { LinkedSourcesController } from './hotglue/linked-sources.controller.js';
import { SourceProfileController } from './hotglue/source-profile.controller.js';
import { TenantSyncJob } from './jobs/tenant-sync.job.js';
import { DEFAULT_RATE_LIMIT, SAMPLE_OPTIONS, type SampleAppOptions } from './sample-options.js';
import { MemoryEventLog, RedisEventLog, SAMPLE_EVENT_LOG } from './webhooks/event-log.js';
import { SampleEventRecorder } from './webhooks/event-recorder.js';
import { HotglueEventsController } from './webhooks/events.controller.js';
import { WidgetScriptController } from './widget/widget-script.controller.js';

/**
 * The sample app: the token, linked-sources and events endpoints behind the auth stand-in, the per-user
 * throttler and the library's tenant guard; hotglue's webhook route (signature-checked, no app auth);
 * `/health`; and, in local mode only, the demo session endpoint.
 */
@Module({})
export class SampleAppModule {
  static forRoot(options: SampleAppOptions): DynamicModule {
    const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    const redis = options.redis;
    // Without explicit options: the one-line wiring a host app uses. `.env` files are ignored on purpose:
    // the local-mode decision reads the real environment, and both must see the same variables.
    const hotglue = options.hotglue
      ? [HotglueModule.forRoot(options.hotglue)]
      : [
          ConfigModule.forRoot({ ignoreEnvFile: true }),
          HotglueModule.forRootAsync(hotglueConfig.asProvider()),
        ];
    const providers: Provider[] = [
      { provide: SAMPLE_OPTIONS, useValue: options },
      AppAuthGuard,
      HotglueHealthIndicator,
      { provide: SAMPLE_EVENT_LOG, useValue: redis ? new RedisEventLog(redis) : new MemoryEventLog() },
      SampleEventRecorder,
      // The job example: only when asked for, so the scheduler's timers run only then.
      ...(options.jobs ? [TenantSyncJob] : []),
    ];
    return {
      module: SampleAppModule,
      imports: [
        ...hotglue,
        JwtModule.register({
          // A KeyObject built once: given a string, jsonwebtoken first tries (and fails) to parse it as a
          // PEM public key on every verify, which costs ~40x the HMAC itself (measured: 670 us vs 16 us).
          secret: createSecretKey(Buffer.from(options.authSecret, 'utf8')),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        // No X-RateLimit-* headers on every response (three headers per token response, for every client);
        // the guard still sends Retry-After on 429.
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: rateLimit.ttlMs, limit: rateLimit.limit }],
          setHeaders: false,
          storage: redis
            ? new HotglueRedisThrottlerStorage({ client: redis })
            : new HotglueMemoryThrottlerStorage(),
        }),
        // POST /hotglue/webhooks: the kit reads the raw body itself, so the app needs no rawBody option.
        HotglueWebhooksModule.forRoot({
          secret: options.webhookSecret,
          ...(options.webhookSecrets ? { secrets: options.webhookSecrets } : {}),
          ...(redis ? { store: new RedisWebhookStore({ client: redis }) } : {}),
          // Queue mode: stored in BullMQ before the 2xx, handled by this instance's worker with retries.
          ...(options.webhookQueueRedisUrl ? { queue: { connection: options.webhookQueueRedisUrl } } : {}),
        }),
        TerminusModule,
        ...(options.jobs ? [ScheduleModule.forRoot()] : []),
        ...(options.imports ?? []),
      ],
      controllers: [
        HotglueTokenController,
        LinkedSourcesController,
        SourceProfileController,
        HotglueEventsController,
        HealthController,
        ...(options.demo ? [DemoSessionController, WidgetScriptController] : []),
      ],
      providers,
    };
  }
}
