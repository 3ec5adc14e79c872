/**
 * hotglue's request and response shapes as `HotglueClient` sends and returns them, and the options of each
 * client call, and the table of hotglue's endpoints the client calls (`HotglueApi.HotglueOperation` names one). The main entry exports them as one namespace, `HotglueApi` (`HotglueApi.HotglueLinkedSource`,
 * `HotglueApi.GetLinkedSourcesOptions`): host code rarely writes these names, the client's signatures carry
 * them to the editor.
 */
export type * from './client-options.js';
export type {
  HOTGLUE_ENDPOINTS,
  HotglueEndpoint,
  HotglueOperation,
  HttpMethod as HotglueHttpMethod,
} from './endpoints.js';
export type * from './models.js';
