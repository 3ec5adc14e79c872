/**
 * Receiving hotglue's webhooks: `HotglueWebhooksModule`, `@OnHotglueEvent`, the typed events, the dedupe
 * stores and the pure helpers (signature, parser). Loads no optional peer: the Redis store takes a client
 * the host creates, so it is exported from the main entry.
 */
export {
  DEFAULT_MEMORY_STORE_MAX_ENTRIES,
  MemoryWebhookStore,
  type MemoryWebhookStoreOptions,
} from './dedupe/memory-webhook-store.js';
export type { HotglueRedisClient } from './dedupe/redis-client.js';
export {
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_REDIS_WEBHOOK_PREFIX,
  RedisWebhookStore,
  type RedisWebhookStoreOptions,
} from './dedupe/redis-webhook-store.js';
export {
  type HotglueClaimResult,
  type HotglueWebhookStore,
  HotglueWebhookStoreUnavailableError,
} from './dedupe/webhook-store.js';
export { deliveryKey } from './delivery-key.js';
export {
  eventMatches,
  type HotglueEventFilter,
  type HotglueEventHandler,
  type HotglueEventSelector,
  OnHotglueEvent,
} from './on-hotglue-event.decorator.js';
export { eventTime, parseHotglueEvent } from './parse-webhook-event.js';
export { HotglueWebhookSetupError, type HotglueWebhookSetupProblem } from './webhook.errors.js';
export type {
  HotglueConnectionAction,
  HotglueConnectionEvent,
  HotglueDelivery,
  HotglueDiscoverEvent,
  HotglueDiscoverStatus,
  HotglueEventKind,
  HotglueEventOf,
  HotglueJobEvent,
  HotglueLinkedEntity,
  HotglueUnknownEvent,
  HotglueWebhookEvent,
} from './webhook-events.js';
export { HotglueWebhookHandlers } from './webhook-handlers.js';
export {
  DEFAULT_HOTGLUE_WEBHOOK_PATH,
  DEFAULT_WEBHOOK_LEASE_MS,
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_REPLAY_WINDOW_MS,
  type HotglueWebhooksOptions,
  type ResolvedWebhookOptions,
  resolveWebhookOptions,
} from './webhook-options.js';
export {
  type HotglueEventDispatch,
  HotglueWebhookProcessor,
  type HotglueWebhookResult,
} from './webhook-processor.js';
export { type HotglueWebhookAck, HotglueWebhookReceiver } from './webhook-receiver.js';
export { HOTGLUE_SIGNATURE_HEADER, signHotglueWebhook, verifyHotglueSignature } from './webhook-signature.js';
export {
  HOTGLUE_WEBHOOK_SECRET_VAR,
  type HotglueWebhooksConfigFactory,
  hotglueWebhooksConfig,
  hotglueWebhooksConfigFor,
  hotglueWebhooksOptionsFromEnv,
} from './webhooks.config.js';
export { HOTGLUE_WEBHOOK_OPTIONS } from './webhooks.constants.js';
export { HotglueWebhooksModule } from './webhooks.module.js';
export {
  HOTGLUE_WEBHOOKS_ASYNC_OPTIONS_TYPE,
  HOTGLUE_WEBHOOKS_OPTIONS_TYPE,
  type HotglueWebhooksOptionsFactory,
} from './webhooks.module-definition.js';
