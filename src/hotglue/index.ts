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

// The API client, its call options, models, hooks and errors
export {
  HotglueAbortError,
  HotglueApiError,
  HotglueApiKeyMissingError,
  HotglueFlowIdMissingError,
  HotglueNetworkError,
  HotglueRequestError,
  type HotglueRequestInfo,
  HotglueResponseInvalidError,
  HotglueResponseTooLargeError,
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
export type * from './client/client-options.js';
// Tenant credentials
export {
  HotglueCredentialsError,
  type HotglueCredentialsFailure,
  type HotglueCredentialsKind,
  type HotglueCredentialsTarget,
} from './client/credentials.errors.js';
export type { HotglueCredentials } from './client/credentials.js';
// Public so a host reading a linked entity's `config` interprets `expires_at` / `token_expiry` as the client
// does (the emulator in `./testing` relies on the same reading).
export { DEFAULT_CREDENTIAL_PROPERTIES, parseExpiry } from './client/credentials-parse.js';
export type {
  HOTGLUE_ENDPOINTS,
  HotglueEndpoint,
  HotglueOperation,
  HttpMethod as HotglueHttpMethod,
} from './client/endpoints.js';
export { HotglueClient } from './client/hotglue-client.js';
export type { HotglueRequester } from './client/http-pool.js';
export type * from './client/models.js';
export type { HotglueTokenSource } from './client/transport.js';
export type { HotglueEnvironment } from './environment/environment-info.js';
export { type ResolvedHotglueEnvironment, resolveHotglueEnvironment } from './environment/environment-ref.js';
// Injection tokens and decorators (named environments: pass the name; without one, the unnamed instance)
export {
  getHotglueClientToken,
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  getHotglueTokenServiceToken,
  InjectHotglueClient,
  InjectHotglueOptions,
  InjectHotglueSigningKey,
  InjectHotglueTokenService,
} from './environment/hotglue.decorators.js';
// Guards for the host's own endpoints
export {
  HotglueTenant,
  HotglueTenantEnvironment,
  HotglueTenantGuard,
  type HotglueTenantGuardOptions,
  type HotglueTenantSource,
} from './guards/hotglue-tenant.guard.js';
// Errors of the library itself
export {
  HotglueArgumentError,
  HotglueConfigError,
  type HotglueConfigIssue,
  HotglueEnvironmentNotFoundError,
  HotglueError,
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
// Module and configuration
export {
  type HotglueConfigFactory,
  hotglueConfig,
  hotglueConfigFor,
  hotglueOptionsFromEnv,
} from './options/hotglue.config.js';
export type { hotglueOptionsSchema } from './options/hotglue.options.js';
export {
  HOTGLUE_ENV_VARS,
  type HotglueHttpOptions,
  type HotglueModuleOptions,
  type HotglueResolvedOptions,
} from './options/hotglue.options.js';
export {
  type HotglueSetup,
  type ResolveHotglueOptions,
  resolveHotglueOptions,
} from './options/resolve-options.js';
// The tenant's provider API (HotglueClient.provider)
export {
  type HotglueProviderBody,
  type HotglueProviderClient,
  type HotglueProviderConnectionEvent,
  type HotglueProviderConnectionHook,
  type HotglueProviderEntry,
  HotglueProviderError,
  type HotglueProviderErrorDetails,
  type HotglueProviderErrorReason,
  type HotglueProviderQuery,
  type HotglueProviderRequest,
  type HotglueProviderResponse,
} from './provider/index.js';
export type { HotglueRedisClient } from './redis/redis-client.js';
// Text safety: hosts that log webhook- or tenant-supplied text escape it the way this library does
export { escapeControlCharacters } from './shared/escape-control-characters.js';
export {
  type HotglueSigningKey,
  loadSigningKey,
  parseSigningKey,
  type SigningKeyListener,
  type SigningKeyRejection,
  type SigningKeyRejectionListener,
  type SigningKeySettingNames,
  type SigningKeyState,
} from './signing-key/index.js';
export type { SigningKeySource } from './signing-key/signing-key-source.js';
export type {
  HotglueCallInfo,
  HotglueCallRecorder,
  HotglueProviderCallInfo,
  HotglueProviderCallRecorder,
  HotglueTelemetry,
  HotglueWebhookJobOutcome,
  HotglueWebhookJobRecorder,
  HotglueWebhookOutcome,
  HotglueWebhookQueueSnapshot,
} from './telemetry/telemetry.js';
// Telemetry: the metric names a host's dashboards and alerts refer to
export { HOTGLUE_METRICS } from './telemetry/telemetry-names.js';
// Tokens
export {
  type CreateTokenOptions,
  type HotglueToken,
  HotglueTokenService,
  type VerifyTokenOptions,
} from './token/hotglue-token.service.js';
export type { HotglueJwtSigner, TenantClaims } from './token/rs256.js';
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
  ResolvedWebhookQueueOptions as HotglueResolvedWebhookQueueOptions,
} from './webhooks/queue/queue-options.js';
export {
  type HotglueFailedDelivery,
  type HotglueQueuedDelivery,
  type HotglueWebhookJobData,
  type HotglueWebhookJobProcessor,
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
export { signHotglueWebhook, verifyHotglueSignature } from './webhooks/webhook-signature.js';
export {
  HOTGLUE_WEBHOOK_QUEUE_REDIS_URL_VAR,
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
