/**
 * nestjs-hotglue: the public API. Host code imports from here and from the subpaths of optional features
 * (`nestjs-hotglue/throttler`, `nestjs-hotglue/health`, `nestjs-hotglue/testing`), which load optional peers.
 *
 * Every name below is a promise kept for the whole major version (docs/api-policy.md). A name is here
 * because a host app or its tests use it: the module and its config wiring, the services and guards,
 * injection tokens and decorators, typed errors, the webhook kit and its stores, option and result types.
 * Internals (signers, transports, telemetry names, defaults) are imported by this package's own code from
 * their files, never through this barrel. Types that an exported signature names are exported too, as types
 * only (no runtime name: `HOTGLUE_ENDPOINTS`, the configurable module bases, `hotglueOptionsSchema`), so
 * the API report (etc/api/, `npm run api:check`) shows the whole promise.
 */

// hotglue's request and response shapes and the options of each call, as one namespace
export type * as HotglueApi from './client/api-types.js';
// The API client, its call options, models, hooks and errors
export {
  HotglueAbortError,
  HotglueApiError,
  HotglueNetworkError,
  HotglueRequestError,
  type HotglueRequestInfo,
  HotglueResponseInvalidError,
  HotglueRetryAfterTooLongError,
  HotglueTimeoutError,
  type HotglueTimeoutKind,
} from './client/client.errors.js';
export type {
  HotglueAuthMode,
  HotglueRequestEvent,
  HotglueRequestHook,
  HotglueResponseEvent,
  HotglueResponseHook,
} from './client/client-hooks.js';
// Tenant credentials
export {
  HotglueCredentialsError,
  type HotglueCredentialsFailure,
  type HotglueCredentialsKind,
  type HotglueCredentialsTarget,
} from './client/credentials.errors.js';
export type { HotglueCredentials } from './client/credentials.js';
export { HotglueClient } from './client/hotglue-client.js';
export type { HotglueEnvironment } from './environment/environment-info.js';
export { getHotglueEnvironment, type HotglueEnvironmentServices } from './environment/environment-ref.js';
// Injection tokens and decorators (named environments: pass the name; without one, the unnamed instance)
export {
  getHotglueClientToken,
  getHotglueTokenServiceToken,
  InjectHotglueClient,
  InjectHotglueTokenService,
} from './environment/hotglue.decorators.js';
// Guards for the host's own endpoints
export {
  HotglueTenant,
  HotglueTenantEnvironment,
  HotglueTenantGuard,
  type HotglueTenantGuardOptions,
  type HotglueTenantLocation,
} from './guards/hotglue-tenant.guard.js';
// Errors of the library itself
export {
  HotglueArgumentError,
  HotglueConfigError,
  type HotglueConfigIssue,
  HotglueEnvironmentNotFoundError,
  HotglueError,
  type HotglueErrorCode,
  HotglueSigningKeyError,
  type HotglueSigningKeyProblem,
  HotglueTenantIdError,
  type HotglueTenantIdProblem,
  type HotglueTokenProblem,
  HotglueTokenVerificationError,
} from './hotglue.errors.js';
export { HotglueModule } from './hotglue.module.js';
export type {
  HotglueConfigurableModule,
  HotglueModuleExtras,
  HotglueOptionsFactory,
} from './hotglue.module-definition.js';
// Types public signatures name but host code does not write (telemetry, HTTP and signer seams), as one namespace
export type * as HotglueInternals from './internal-types.js';
// Module and configuration
export {
  checkHotglueEnv,
  type HotglueConfigFactory,
  hotglueConfig,
  hotglueConfigFor,
} from './options/hotglue.config.js';
export type {
  HotglueHttpOptions,
  HotglueModuleOptions,
  HotglueValidatedOptions,
  hotglueOptionsSchema,
} from './options/hotglue.options.js';
// The tenant's provider API (HotglueClient.provider)
export { type HotglueProviderClient, HotglueProviderError } from './provider/index.js';
export type { HotglueRedisClient } from './redis/redis-client.js';
export type { HotglueSigningKey, SigningKeyRejection, SigningKeyState } from './signing-key/index.js';
// Tokens
export {
  type CreateTokenOptions,
  type HotglueToken,
  HotglueTokenService,
  type VerifyTokenOptions,
} from './token/hotglue-token.service.js';
// Webhooks
export {
  MemoryWebhookStore,
  type MemoryWebhookStoreOptions,
} from './webhooks/dedupe/memory-webhook-store.js';
export { RedisWebhookStore, type RedisWebhookStoreOptions } from './webhooks/dedupe/redis-webhook-store.js';
export {
  type HotglueClaimResult,
  type HotglueWebhookStore,
  HotglueWebhookStoreUnavailableError,
} from './webhooks/dedupe/webhook-store.js';
export type { EventFor as HotglueEventFor } from './webhooks/on-hotglue-event.decorator.js';
export {
  type HotglueEventFilter,
  type HotglueEventHandler,
  type HotglueEventSelector,
  OnHotglueEvent,
} from './webhooks/on-hotglue-event.decorator.js';
export { parseHotglueEvent } from './webhooks/parse-webhook-event.js';
export type {
  HotglueWebhookQueueConnection,
  HotglueWebhookQueueOptions,
} from './webhooks/queue/queue-options.js';
export {
  type HotglueDeliveryState,
  type HotglueDeliveryStatus,
  type HotglueFailedDelivery,
  type HotglueQueuedDelivery,
  HotglueWebhookQueue,
  type HotglueWebhookQueueCounts,
  HotglueWebhookQueueUnavailableError,
} from './webhooks/queue/webhook-queue.js';
export { HotglueWebhookSetupError, type HotglueWebhookSetupProblem } from './webhooks/webhook.errors.js';
export type {
  EventBase as HotglueEventBase,
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
} from './webhooks/webhook-events.js';
export { HOTGLUE_WEBHOOK_CONTEXT_TYPE } from './webhooks/webhook-handlers.js';
export type {
  HotglueWebhookSecrets,
  HotglueWebhookSubscription,
  HotglueWebhooksOptions,
} from './webhooks/webhook-options.js';
export { verifyHotglueSignature } from './webhooks/webhook-signature.js';
export {
  type HotglueWebhooksConfigFactory,
  hotglueWebhooksConfig,
  hotglueWebhooksConfigFor,
  hotglueWebhooksOptionsFromEnv,
} from './webhooks/webhooks.config.js';
export { HotglueWebhooksModule } from './webhooks/webhooks.module.js';
export type {
  HotglueWebhooksConfigurableModule,
  HotglueWebhooksOptionsFactory,
} from './webhooks/webhooks.module-definition.js';
