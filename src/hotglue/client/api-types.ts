/**
 * hotglue's request and response shapes as `HotglueClient` sends and returns them, and the options of each
 * client call, the table of hotglue's endpoints the client calls (`HotglueApi.HotglueOperation` names one)
 * and the shapes of a provider call (`HotglueApi.HotglueProviderRequest`). The main entry exports them as one namespace, `HotglueApi` (`HotglueApi.HotglueLinkedSource`,
 * `HotglueApi.GetLinkedSourcesOptions`): host code rarely writes these names, the client's signatures carry
 * them to the editor.
 */

// The provider call's request, response, hook and entry shapes (`HotglueClient.provider`)
export type {
  HotglueProviderBody,
  HotglueProviderConnectionEvent,
  HotglueProviderConnectionHook,
  HotglueProviderEntry,
  HotglueProviderErrorDetails,
  HotglueProviderErrorReason,
  HotglueProviderQuery,
  HotglueProviderRequest,
  HotglueProviderResponse,
} from '../provider/index.js';
export type * from './client-options.js';
export type {
  HOTGLUE_ENDPOINTS,
  HotglueEndpoint,
  HotglueOperation,
  HttpMethod as HotglueHttpMethod,
} from './endpoints.js';
export type * from './models.js';
