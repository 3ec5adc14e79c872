export { HOTGLUE_HTTP_POOL } from './client.constants.js';
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
} from './client.errors.js';
export type {
  HotglueAuthMode,
  HotglueRequestEvent,
  HotglueRequestHook,
  HotglueResponseEvent,
  HotglueResponseHook,
} from './client-hooks.js';
export * from './client-options.js';
export {
  HOTGLUE_ENDPOINTS,
  type HotglueEndpoint,
  type HotglueOperation,
  type HttpMethod,
} from './endpoints.js';
export { HotglueClient } from './hotglue-client.js';
export { createHotgluePool } from './http-pool.js';
export type * from './models.js';
export { encodePathSegment } from './request-path.js';
export {
  type HotglueTokenSource,
  HotglueTransport,
  type TransportCall,
  type TransportLogger,
} from './transport.js';
