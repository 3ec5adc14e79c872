import { ConfigurableModuleBuilder } from '@nestjs/common';
import { createHotglueWebhookController } from './webhook.controller.js';
import { DEFAULT_HOTGLUE_WEBHOOK_PATH, type HotglueWebhooksOptions } from './webhook-options.js';
import { HOTGLUE_WEBHOOK_PATH } from './webhooks.constants.js';

/**
 * `forRoot` / `forRootAsync`, with two static extras: `isGlobal`, and `path` (the route, relative to the
 * global prefix; default `hotglue/webhooks`). `path` is an extra, not an option, because a route must be
 * known when the module is defined, before any async factory has run.
 */
export const {
  ConfigurableModuleClass: HotglueWebhooksConfigurableModule,
  MODULE_OPTIONS_TOKEN: HOTGLUE_WEBHOOKS_MODULE_OPTIONS,
} = new ConfigurableModuleBuilder<HotglueWebhooksOptions>({ moduleName: 'HotglueWebhooks' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createHotglueWebhooksOptions')
  .setExtras({ isGlobal: false, path: DEFAULT_HOTGLUE_WEBHOOK_PATH }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    controllers: [...(definition.controllers ?? []), createHotglueWebhookController(extras.path)],
    providers: [...(definition.providers ?? []), { provide: HOTGLUE_WEBHOOK_PATH, useValue: extras.path }],
  }))
  .build();

/** What `forRootAsync({ useClass })` / `useExisting` must implement. */
export interface HotglueWebhooksOptionsFactory {
  createHotglueWebhooksOptions(): HotglueWebhooksOptions | Promise<HotglueWebhooksOptions>;
}
