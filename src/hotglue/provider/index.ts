export {
  HotglueProviderError,
  type HotglueProviderErrorDetails,
  type HotglueProviderErrorReason,
} from './provider.errors.js';
export {
  type HotglueProviderBody,
  type HotglueProviderClient,
  type HotglueProviderRequest,
  type HotglueProviderResponse,
  ProviderBases,
  ProviderClient,
  type ProviderCredentials,
  type ProviderRuntime,
  type ProviderTarget,
  retryAfterMs,
} from './provider-client.js';
export {
  type HotglueProviderConnectionEvent,
  type HotglueProviderConnectionHook,
  ProviderConnections,
} from './provider-connections.js';
export { ProviderAgent, type ProviderDispatcher, type ProviderHttpSettings } from './provider-http.js';
export {
  BUILT_IN_PROVIDERS,
  buildProviderRegistry,
  type HotglueProviderEntry,
  hotglueProvidersOptionSchema,
  type ResolvedProviderEntry,
} from './provider-registry.js';
export type { HotglueProviderQuery } from './provider-url.js';
