/** nestjs-hotglue/testing: a local hotglue API (`HotglueEmulator`) and helpers for specs. */
export type { EmulatorApiKeys } from './auth.js';
export { DEFAULT_V1_FLOW_ID, DEFAULT_V2_FLOW_ID } from './default-seed.js';
export {
  DEFAULT_EMULATOR_ENV_ID,
  DEFAULT_JOB_STEP_MS,
  DEFAULT_MAX_IN_FLIGHT_BODY_BYTES,
  DEFAULT_REQUEST_LOG_LIMIT,
  type EmulatorFlow,
  type EmulatorLinkedConnectorSeed,
  type EmulatorLinkedSourceSeed,
  type EmulatorLinkedTargetSeed,
  type EmulatorTenant,
  type EmulatorWebhookOptions,
  type EmulatorWebhookSubscription,
  type HotglueEmulatorOptions,
  type HotglueEmulatorSeed,
  type JsonObject,
} from './emulator-options.js';
export type { EmulatorFault, EmulatorFaultMatch } from './faults.js';
export { HotglueEmulator } from './hotglue-emulator.js';
export { errorCodeFor, type HotglueErrorBody } from './http-error.js';
export { JOB_STEPS, type JobFailure } from './job-lifecycle.js';
export {
  type EmulatorKeyKind,
  type EmulatorRequest,
  type EmulatorTokenState,
  LOG_ENTRY_LIMITS,
  REDACTED,
} from './request-log.js';
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
export { TOKEN_LEEWAY_SECONDS } from './token-verifier.js';
export { type EmulatorWebhookDelivery, type EmulatorWebhookFault, webhookSignature } from './webhooks.js';
