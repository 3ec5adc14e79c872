/** HTTP methods the hotglue API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One hotglue operation, declared: what the transport needs to send it. Paths are templates whose
 * `{placeholders}` the transport fills with percent-encoded values (`{env}` always from the options).
 */
export interface HotglueEndpoint {
  /** The `HotglueClient` method, used in logs, hooks and errors. */
  readonly operation: string;
  readonly method: HttpMethod;
  readonly path: string;
  /**
   * `'any'`: secret or tenant mode (the call's `auth`, default secret when configured). `'secret'`: backend
   * key only (a backend-only route, see docs/client.md), the call has no `auth` option.
   */
  readonly keys: 'any' | 'secret';
  /**
   * Whether tenant mode sends the tenant JWT as `token` here: on every tenant-specific route (one that names
   * a tenant in its path or in `user_id`). An environment with "Require JWT to authenticate tenant requests"
   * on refuses "the Public API Key alone" for "tenant-specific tasks" and publishes no list of the routes
   * (https://docs.hotglue.com/api-reference/authentication), so the token goes on all of them, not only the
   * 11 where hotglue's widget sends it; hotglue accepts `token` on any route. Routes naming no tenant (the
   * flow catalogue) send the public key alone. `false` on `'secret'` routes: the token is never sent there.
   */
  readonly token: boolean;
}

const V1 = '/{env}/{flow}/{tenant}';
const V2 = '/v2/{env}/{flow}/{tenant}';

const e = (
  operation: string,
  method: HttpMethod,
  path: string,
  keys: 'any' | 'secret',
  token: boolean,
): HotglueEndpoint => Object.freeze({ operation, method, path, keys, token });

/** Every operation of `HotglueClient` (each route and its source: docs/client.md, "Operations and their sources"). */
export const HOTGLUE_ENDPOINTS = Object.freeze({
  // Linked sources / targets (V1)
  getLinkedSources: e('getLinkedSources', 'GET', `${V1}/linkedSources`, 'any', true),
  linkSource: e('linkSource', 'POST', `${V1}/linkedSources`, 'any', true),
  updateLinkedSource: e('updateLinkedSource', 'PATCH', `${V1}/linkedSources`, 'any', true),
  unlinkSource: e('unlinkSource', 'DELETE', `${V1}/linkedSources`, 'any', true),
  // V1 state: the path of the widget's DELETE; GET on it as third-party code calls it.
  getLinkedSourceState: e('getLinkedSourceState', 'GET', `${V1}/linkedSources/state`, 'any', true),
  deleteLinkedSourceState: e('deleteLinkedSourceState', 'DELETE', `${V1}/linkedSources/state`, 'any', true),
  getLinkedTargets: e('getLinkedTargets', 'GET', `${V1}/linkedTargets`, 'any', true),
  linkTarget: e('linkTarget', 'POST', `${V1}/linkedTargets`, 'any', true),
  unlinkTarget: e('unlinkTarget', 'DELETE', `${V1}/linkedTargets`, 'any', true),
  // Linked connectors (V2)
  getLinkedConnectors: e('getLinkedConnectors', 'GET', `${V2}/linkedConnectors`, 'any', true),
  linkConnector: e('linkConnector', 'POST', `${V2}/linkedConnectors`, 'any', true),
  updateLinkedConnector: e('updateLinkedConnector', 'PATCH', `${V2}/linkedConnectors`, 'any', true),
  unlinkConnector: e('unlinkConnector', 'DELETE', `${V2}/linkedConnectors`, 'any', true),
  triggerDiscover: e('triggerDiscover', 'GET', `${V2}/linkedConnectors/discover`, 'any', true),
  pollDiscover: e('pollDiscover', 'GET', `${V2}/linkedConnectors/discover/poll`, 'any', true),
  getConnectorState: e('getConnectorState', 'GET', `${V2}/linkedConnectors/state`, 'any', true),
  setConnectorState: e('setConnectorState', 'PUT', `${V2}/linkedConnectors/state`, 'any', true),
  deleteConnectorState: e('deleteConnectorState', 'DELETE', `${V2}/linkedConnectors/state`, 'any', true),
  // Flows and catalog
  getSupportedFlows: e('getSupportedFlows', 'GET', '/{env}/flows/supported', 'any', false),
  getSupportedFlow: e('getSupportedFlow', 'GET', '/{env}/flows/{flow}/supported', 'any', false),
  getLinkedFlows: e('getLinkedFlows', 'GET', '/{env}/flows/linked', 'any', true),
  getSupportedSources: e('getSupportedSources', 'GET', '/{env}/{flow}/supportedSources', 'any', false),
  getSupportedTargets: e('getSupportedTargets', 'GET', '/{env}/{flow}/supportedTargets', 'any', false),
  getSupportedConnectors: e(
    'getSupportedConnectors',
    'GET',
    '/v2/{env}/{flow}/supportedConnectors',
    'any',
    false,
  ),
  getAvailableConnectors: e('getAvailableConnectors', 'GET', '/v2/{env}/availableConnectors', 'any', false),
  // Jobs and schedules
  runJob: e('runJob', 'POST', `${V1}/jobs`, 'any', true),
  runConnectorJob: e('runConnectorJob', 'POST', `${V2}/jobs`, 'any', true),
  listJobs: e('listJobs', 'GET', `${V1}/jobs`, 'any', true),
  getLatestJob: e('getLatestJob', 'GET', `${V1}/jobs/latest`, 'any', true),
  getJobStatus: e('getJobStatus', 'GET', `${V1}/jobs/status`, 'any', true),
  getSchedule: e('getSchedule', 'GET', `${V1}/jobs/schedule`, 'any', true),
  updateSchedule: e('updateSchedule', 'PUT', `${V1}/jobs/schedule`, 'any', true),
  deleteSchedule: e('deleteSchedule', 'DELETE', `${V1}/jobs/schedule`, 'any', true),
  // Tenants, links, credentials, real-time (backend key only)
  listTenants: e('listTenants', 'GET', '/tenants/{env}', 'secret', false),
  getTenantConfig: e('getTenantConfig', 'GET', '/tenant/{env}/{tenant}/config', 'secret', false),
  // https://docs.hotglue.com/api-reference/manage-tenants/set-tenant-mapping (x-api-key: either key)
  setTenantMapping: e('setTenantMapping', 'PUT', '/tenant/{env}/{tenant}/mapping', 'any', true),
  // hotglue's widget sends this with the public key; no page documents it
  setTenantMetadata: e('setTenantMetadata', 'PUT', '/tenant/{env}/{tenant}/metadata', 'any', true),
  // The API reference's `/magicLink`; the guide's older `/connect` is not sent
  // (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md).
  createMagicLink: e('createMagicLink', 'POST', '/{env}/magicLink', 'secret', false),
  getConnectorAccessToken: e(
    'getConnectorAccessToken',
    'GET',
    `${V1}/connectors/{connector}/accesstoken`,
    'secret',
    false,
  ),
  writeRecords: e('writeRecords', 'POST', `${V1}/connectors/{connector}/{stream}`, 'secret', false),
  getWriteStatus: e('getWriteStatus', 'GET', `${V1}/connectors/status`, 'any', true),
} satisfies Record<string, HotglueEndpoint>);

export type HotglueOperation = keyof typeof HOTGLUE_ENDPOINTS;
