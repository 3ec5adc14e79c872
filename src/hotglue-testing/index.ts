/**
 * nestjs-hotglue/testing: a local hotglue API (`HotglueEmulator`) and helpers for specs. The public surface
 * is what a host's tests use (docs/api-policy.md); the emulator's internals stay in their files.
 */

// Signs a webhook body as hotglue does, for specs that post deliveries to a host's endpoint.
export { signHotglueWebhook } from '../hotglue/webhooks/webhook-signature.js';
export type { EmulatorApiKeys } from './auth.js';
export { DEFAULT_V1_FLOW_ID, DEFAULT_V2_FLOW_ID } from './default-seed.js';
export {
  DEFAULT_EMULATOR_ENV_ID,
  type EmulatorFlow,
  type EmulatorLinkedConnectorSeed,
  type EmulatorLinkedSourceSeed,
  type EmulatorLinkedTargetSeed,
  type EmulatorRequireJwt,
  type EmulatorTenant,
  type EmulatorWebhookOptions,
  type EmulatorWebhookSettings,
  type EmulatorWebhookSubscription,
  type EmulatorWebhookSubscriptionTargets,
  type EmulatorWebhookTarget,
  type HotglueEmulatorOptions,
  type HotglueEmulatorSeed,
  type JsonObject,
} from './emulator-options.js';
export type { EmulatorFault, EmulatorFaultMatch } from './faults.js';
export { HotglueEmulator } from './hotglue-emulator.js';
export type { HotglueErrorBody } from './http-error.js';
export { JOB_STEPS, type JobFailure } from './job-lifecycle.js';
export {
  type EmulatorKeyKind,
  type EmulatorRequest,
  type EmulatorTokenState,
  REDACTED,
} from './request-log.js';
export type { EmulatorProviderRequest } from './routes/provider-routes.js';
export { generateTestSigningKey, type TestSigningKey } from './signing-keys.js';
export {
  type HotglueTestEnv,
  type HotglueTestEnvOptions,
  startHotglueTestEnv,
} from './test-env.js';
export {
  createHotglueTestingModule,
  type HotglueTestingModule,
  type HotglueTestingModuleOptions,
} from './testing-module.js';
export type { EmulatorWebhookDelivery, EmulatorWebhookFault } from './webhooks.js';
