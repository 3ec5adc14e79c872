/**
 * Types that public constructors and interfaces name but host code does not write: the seams the module's
 * providers fill (telemetry, the HTTP pool, the token provider, the signer) and the webhook queue's job
 * shapes. The main entry exports them as one type namespace, `HotglueInternals`, so they stay out of its
 * list of names; they follow the code, not the semver promise (docs/api-policy.md).
 */
export type { HotglueRequester } from './client/http-pool.js';
export type { HotglueTokenProvider } from './client/transport.js';
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
export type { HotglueJwtSigner, TenantClaims } from './token/rs256.js';
export type { ValidatedWebhookQueueOptions as HotglueValidatedWebhookQueueOptions } from './webhooks/queue/queue-options.js';
export type { HotglueWebhookJobData, HotglueWebhookJobProcessor } from './webhooks/queue/webhook-queue.js';
