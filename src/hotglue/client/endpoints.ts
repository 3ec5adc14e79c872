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
   * key only (column Key = B in hotglue-api.md §3), the call has no `auth` option.
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

/** Every operation of `HotglueClient` (hotglue-api.md §3; row numbers in comments). */
export const HOTGLUE_ENDPOINTS = Object.freeze({
  // Linked sources / targets (V1)
  getLinkedSources: e('getLinkedSources', 'GET', `${V1}/linkedSources`, 'any', true), // 1
  linkSource: e('linkSource', 'POST', `${V1}/linkedSources`, 'any', true), // 2
  updateLinkedSource: e('updateLinkedSource', 'PATCH', `${V1}/linkedSources`, 'any', true), // 3
  unlinkSource: e('unlinkSource', 'DELETE', `${V1}/linkedSources`, 'any', true), // 4
  // V1 state: the path of the widget's DELETE (row 7); GET on it as third-party code calls it (row 54).
  getLinkedSourceState: e('getLinkedSourceState', 'GET', `${V1}/linkedSources/state`, 'any', true), // 54
  deleteLinkedSourceState: e('deleteLinkedSourceState', 'DELETE', `${V1}/linkedSources/state`, 'any', true), // 7
  getLinkedTargets: e('getLinkedTargets', 'GET', `${V1}/linkedTargets`, 'any', true), // 9
  linkTarget: e('linkTarget', 'POST', `${V1}/linkedTargets`, 'any', true), // 10
  unlinkTarget: e('unlinkTarget', 'DELETE', `${V1}/linkedTargets`, 'any', true), // 11
  // Linked connectors (V2)
  getLinkedConnectors: e('getLinkedConnectors', 'GET', `${V2}/linkedConnectors`, 'any', true), // 13
  linkConnector: e('linkConnector', 'POST', `${V2}/linkedConnectors`, 'any', true), // 14
  updateLinkedConnector: e('updateLinkedConnector', 'PATCH', `${V2}/linkedConnectors`, 'any', true), // 15
  unlinkConnector: e('unlinkConnector', 'DELETE', `${V2}/linkedConnectors`, 'any', true), // 16
  triggerDiscover: e('triggerDiscover', 'GET', `${V2}/linkedConnectors/discover`, 'any', true), // 17
  pollDiscover: e('pollDiscover', 'GET', `${V2}/linkedConnectors/discover/poll`, 'any', true), // 18
  getConnectorState: e('getConnectorState', 'GET', `${V2}/linkedConnectors/state`, 'any', true), // 19
  setConnectorState: e('setConnectorState', 'PUT', `${V2}/linkedConnectors/state`, 'any', true), // 20
  deleteConnectorState: e('deleteConnectorState', 'DELETE', `${V2}/linkedConnectors/state`, 'any', true), // 21
  // Flows and catalog
  getSupportedFlows: e('getSupportedFlows', 'GET', '/{env}/flows/supported', 'any', false), // 22
  getSupportedFlow: e('getSupportedFlow', 'GET', '/{env}/flows/{flow}/supported', 'any', false), // 23
  getLinkedFlows: e('getLinkedFlows', 'GET', '/{env}/flows/linked', 'any', true), // 24
  getSupportedSources: e('getSupportedSources', 'GET', '/{env}/{flow}/supportedSources', 'any', false), // 25
  getSupportedTargets: e('getSupportedTargets', 'GET', '/{env}/{flow}/supportedTargets', 'any', false), // 26
  getSupportedConnectors: e(
    'getSupportedConnectors',
    'GET',
    '/v2/{env}/{flow}/supportedConnectors',
    'any',
    false,
  ), // 27
  getAvailableConnectors: e('getAvailableConnectors', 'GET', '/v2/{env}/availableConnectors', 'any', false), // 29
  // Jobs and schedules
  runJob: e('runJob', 'POST', `${V1}/jobs`, 'any', true), // 32
  runConnectorJob: e('runConnectorJob', 'POST', `${V2}/jobs`, 'any', true), // 33
  listJobs: e('listJobs', 'GET', `${V1}/jobs`, 'any', true), // 34
  getLatestJob: e('getLatestJob', 'GET', `${V1}/jobs/latest`, 'any', true), // 35
  getJobStatus: e('getJobStatus', 'GET', `${V1}/jobs/status`, 'any', true), // 36
  getSchedule: e('getSchedule', 'GET', `${V1}/jobs/schedule`, 'any', true), // 37
  updateSchedule: e('updateSchedule', 'PUT', `${V1}/jobs/schedule`, 'any', true), // 38
  deleteSchedule: e('deleteSchedule', 'DELETE', `${V1}/jobs/schedule`, 'any', true), // 39
  // Tenants, links, credentials, real-time (backend key only)
  listTenants: e('listTenants', 'GET', '/tenants/{env}', 'secret', false), // 40
  getTenantConfig: e('getTenantConfig', 'GET', '/tenant/{env}/{tenant}/config', 'secret', false), // 41
  // https://docs.hotglue.com/api-reference/manage-tenants/set-tenant-mapping (x-api-key: either key)
  setTenantMapping: e('setTenantMapping', 'PUT', '/tenant/{env}/{tenant}/mapping', 'any', true), // 43
  // hotglue's widget sends this with the public key; no page documents it
  setTenantMetadata: e('setTenantMetadata', 'PUT', '/tenant/{env}/{tenant}/metadata', 'any', true), // 44
  // 52: the API reference's `/magicLink`; the guide's older `/connect` (row 46) is not sent
  // (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md).
  createMagicLink: e('createMagicLink', 'POST', '/{env}/magicLink', 'secret', false),
  getConnectorAccessToken: e(
    'getConnectorAccessToken',
    'GET',
    `${V1}/connectors/{connector}/accesstoken`,
    'secret',
    false,
  ), // 48
  writeRecords: e('writeRecords', 'POST', `${V1}/connectors/{connector}/{stream}`, 'secret', false), // 49
  getWriteStatus: e('getWriteStatus', 'GET', `${V1}/connectors/status`, 'any', true), // 53
} satisfies Record<string, HotglueEndpoint>);

export type HotglueOperation = keyof typeof HOTGLUE_ENDPOINTS;
