/**
 * nestjs-hotglue: the public API. Host code imports from here and from the subpaths of optional features
 * (`nestjs-hotglue/throttler`, `nestjs-hotglue/health`, `nestjs-hotglue/testing`), which load optional peers.
 */

export * from './client/index.js';
export * from './credentials/index.js';
export { escapeControlCharacters } from './escape-control-characters.js';
export * from './guards/index.js';
export { hotglueConfig, hotglueOptionsFromEnv } from './hotglue.config.js';
export { HOTGLUE_JWT_SIGNER, HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY } from './hotglue.constants.js';
export {
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  InjectHotglueOptions,
  InjectHotglueSigningKey,
} from './hotglue.decorators.js';
export {
  HotglueArgumentError,
  HotglueConfigError,
  type HotglueConfigIssue,
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
  DEFAULT_TOKEN_CACHE_SIZE,
  DEFAULT_TOKEN_REFRESH_MARGIN,
  DEFAULT_TOKEN_TTL_SECONDS,
  HOTGLUE_ENV_VARS,
  type HotglueHttpOptions,
  type HotglueModuleOptions,
  type HotglueResolvedOptions,
  hotglueHttpOptionsSchema,
  hotglueOptionsSchema,
  MAX_TOKEN_TTL_SECONDS,
  MIN_TOKEN_TTL_SECONDS,
} from './hotglue.options.js';
export { type HotglueSetup, resolveHotglueOptions } from './resolve-options.js';
export {
  type HotglueSigningKey,
  loadSigningKey,
  MIN_RSA_MODULUS_BITS,
  parseSigningKey,
} from './signing-key/index.js';
export * from './token/index.js';
export * from './webhooks/index.js';
