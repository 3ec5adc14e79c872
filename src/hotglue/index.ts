/**
 * nestjs-hotglue: the public API. Host code imports from here and from the subpaths of optional features
 * (`nestjs-hotglue/throttler`, `nestjs-hotglue/health`, `nestjs-hotglue/testing`), which load optional peers.
 */

export * from './client/index.js';
export * from './credentials/index.js';
export { escapeControlCharacters } from './escape-control-characters.js';
export * from './guards/index.js';
export {
  type HotglueConfigFactory,
  hotglueConfig,
  hotglueConfigFor,
  hotglueOptionsFromEnv,
} from './hotglue.config.js';
export {
  HOTGLUE_ENVIRONMENT,
  HOTGLUE_JWT_SIGNER,
  HOTGLUE_OPTIONS,
  HOTGLUE_SIGNING_KEY,
} from './hotglue.constants.js';
export {
  getHotglueClientToken,
  getHotglueEnvironmentToken,
  getHotglueHttpPoolToken,
  getHotglueJwtSignerToken,
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  getHotglueTokenServiceToken,
  InjectHotglueClient,
  InjectHotglueOptions,
  InjectHotglueSigningKey,
  InjectHotglueTokenService,
} from './hotglue.decorators.js';
export {
  assertEnvironmentName,
  describeEnvironment,
  HOTGLUE_ENVIRONMENT_NAME_PATTERN,
  hotglueEnvPrefix,
  hotglueEnvVar,
} from './hotglue.environment.js';
export type { HotglueEnvironment } from './hotglue.environment-info.js';
export { type ResolvedHotglueEnvironment, resolveHotglueEnvironment } from './hotglue.environment-ref.js';
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
export {
  HOTGLUE_ASYNC_OPTIONS_TYPE,
  HOTGLUE_OPTIONS_TYPE,
  type HotglueModuleExtras,
  type HotglueOptionsFactory,
} from './hotglue.module-definition.js';
export {
  DEFAULT_CREDENTIALS_CACHE_SIZE,
  DEFAULT_CREDENTIALS_DEFAULT_TTL_SECONDS,
  DEFAULT_CREDENTIALS_REFRESH_MARGIN_SECONDS,
  DEFAULT_HOTGLUE_API_URL,
  DEFAULT_HTTP_ATTEMPT_TIMEOUT_MS,
  DEFAULT_HTTP_BACKOFF_BASE_MS,
  DEFAULT_HTTP_BACKOFF_MAX_MS,
  DEFAULT_HTTP_CONNECTIONS,
  DEFAULT_HTTP_KEEP_ALIVE_MS,
  DEFAULT_HTTP_MAX_ATTEMPTS,
  DEFAULT_HTTP_MAX_RESPONSE_BYTES,
  DEFAULT_HTTP_MAX_RETRY_AFTER_MS,
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_SIGNING_KEY_FILE_POLL_MS,
  DEFAULT_TOKEN_CACHE_SIZE,
  DEFAULT_TOKEN_REFRESH_MARGIN,
  DEFAULT_TOKEN_TTL_SECONDS,
  HOTGLUE_ENV_VARS,
  type HotglueHttpOptions,
  type HotglueModuleOptions,
  type HotglueResolvedOptions,
  hotglueHttpOptionsSchema,
  hotglueOptionsSchema,
  MAX_SIGNING_KEY_FILE_POLL_MS,
  MAX_TOKEN_TTL_SECONDS,
  MIN_TOKEN_TTL_SECONDS,
} from './hotglue.options.js';
export {
  type HotglueSetup,
  type ResolveHotglueOptions,
  resolveHotglueOptions,
  signingKeySettingNames,
} from './resolve-options.js';
export {
  type HotglueSigningKey,
  type KeyFileChange,
  type KeyFileWatcher,
  type KeyFileWatchOptions,
  loadSigningKey,
  MIN_RSA_MODULUS_BITS,
  parseSigningKey,
  type SigningKeyListener,
  type SigningKeyRejection,
  type SigningKeyRejectionListener,
  type SigningKeySettingNames,
  SigningKeyState,
  watchKeyFile,
} from './signing-key/index.js';
export { HotglueSigningKeyLifecycle } from './signing-key/signing-key-lifecycle.js';
export * from './telemetry/index.js';
export * from './token/index.js';
export * from './webhooks/index.js';
