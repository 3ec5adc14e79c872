import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HotglueWebhookBodyCapture } from './body-capture.installer.js';
import { HOTGLUE_WEBHOOK_JOB_PROCESSOR, HOTGLUE_WEBHOOK_QUEUE_OPTIONS } from './queue/queue-tokens.js';
import { HotglueWebhookQueue } from './queue/webhook-queue.js';
import { HotglueWebhookHandlers } from './webhook-handlers.js';
import { createWebhookJobProcessor } from './webhook-job-processor.js';
import {
  type HotglueWebhooksOptions,
  type ValidatedWebhookOptions,
  validateWebhookOptions,
} from './webhook-options.js';
import { HotglueWebhookReceiver } from './webhook-receiver.js';
import { HOTGLUE_WEBHOOK_OPTIONS } from './webhooks.constants.js';
import {
  HOTGLUE_WEBHOOKS_MODULE_OPTIONS,
  HotglueWebhooksConfigurableModule,
} from './webhooks.module-definition.js';

/**
 * Receives hotglue's webhooks on `POST /{path}` (default `/hotglue/webhooks`): reads the raw body itself on
 * Express and Fastify (capped, 413 beyond), verifies `X-Hub-Signature`, parses a typed event, drops replays
 * and duplicates, and runs every `@OnHotglueEvent` handler of the app once.
 *
 * ```ts
 * HotglueWebhooksModule.forRoot({ secret: process.env.HOTGLUE_WEBHOOK_SECRET })
 * HotglueWebhooksModule.forRootAsync({ path: 'hooks/hotglue', inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ secret: config.get('HOTGLUE_WEBHOOK_SECRET') }) })
 * ```
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: HOTGLUE_WEBHOOK_OPTIONS,
      inject: [HOTGLUE_WEBHOOKS_MODULE_OPTIONS],
      useFactory: (options: HotglueWebhooksOptions) => validateWebhookOptions(options),
    },
    {
      provide: HOTGLUE_WEBHOOK_QUEUE_OPTIONS,
      inject: [HOTGLUE_WEBHOOK_OPTIONS],
      useFactory: (options: ValidatedWebhookOptions) => options.queue,
    },
    {
      provide: HOTGLUE_WEBHOOK_JOB_PROCESSOR,
      inject: [HotglueWebhookHandlers],
      useFactory: (handlers: HotglueWebhookHandlers) => createWebhookJobProcessor(handlers.dispatch),
    },
    HotglueWebhookQueue,
    HotglueWebhookBodyCapture,
    HotglueWebhookHandlers,
    HotglueWebhookReceiver,
  ],
  exports: [HOTGLUE_WEBHOOK_OPTIONS, HotglueWebhookReceiver, HotglueWebhookHandlers, HotglueWebhookQueue],
})
export class HotglueWebhooksModule extends HotglueWebhooksConfigurableModule {}
