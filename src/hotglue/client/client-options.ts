import type { HotglueAuthMode } from './client-hooks.js';

/** Options every call takes. */
export interface HotglueCallOptions {
  /** Cancels the request and any pending backoff at once; the call rejects with `HotglueAbortError`. */
  signal?: AbortSignal;
}

/** Options of calls that can run in either auth mode. */
export interface HotglueAuthCallOptions extends HotglueCallOptions {
  /**
   * `'secret'`: the secret API key. `'tenant'`: the public API key plus, on routes that accept it, the tenant's
   * token as `token`. Default: `'secret'` when `secretApiKey` is configured, else `'tenant'`.
   */
  auth?: HotglueAuthMode;
}

/** Options of calls addressed to one flow. */
export interface HotglueFlowCallOptions extends HotglueAuthCallOptions {
  /** The flow; default the module's `flowId` (`HOTGLUE_FLOW_ID`). */
  flowId?: string;
}

/** Options of calls hotglue does not treat as idempotent (POST, PATCH). */
export interface HotglueWriteCallOptions extends HotglueFlowCallOptions {
  /**
   * POST and PATCH are sent once unless this is `true` (only when a repeat is harmless). `false` also
   * disables retries of GET/PUT/DELETE for one call.
   */
  retry?: boolean;
}

/** Options of backend-key-only calls addressed to one flow. */
export interface HotglueSecretFlowCallOptions extends HotglueCallOptions {
  flowId?: string;
}

/** `getLinkedSources` options. */
export interface GetLinkedSourcesOptions extends HotglueFlowCallOptions {
  /** Include each source's `config` (credentials included). */
  config?: boolean;
  /** hotglue's `login_state` flag. */
  loginState?: boolean;
  /** Only this source (`tap_name`). */
  tapName?: string;
  /** Include the catalog. */
  catalog?: boolean;
}

/** `getLinkedTargets` options. */
export interface GetLinkedTargetsOptions extends HotglueFlowCallOptions {
  config?: boolean;
  loginState?: boolean;
  catalog?: boolean;
  /** Only this target (`target_name`). */
  targetName?: string;
}

/** `getLinkedConnectors` options. */
export interface GetLinkedConnectorsOptions extends HotglueFlowCallOptions {
  config?: boolean;
  catalog?: boolean;
  /** Only this connector (`connector_id`). */
  connectorId?: string;
}

/** `getSupportedSources` options. */
export interface GetSupportedSourcesOptions extends HotglueFlowCallOptions {
  catalog?: boolean;
}

/** `getLatestJob` options, and the filters `listJobs` shares. */
export interface JobFilterOptions extends HotglueFlowCallOptions {
  entityId?: string;
  entityType?: string;
}

/** `listJobs` options. */
export interface ListJobsOptions extends JobFilterOptions {
  /**
   * The most jobs to return, newest first: a positive integer, sent as `count`. hotglue's CLI has
   * `jobs list --count`; the wire name is not published, `count` is our guess (docs/client.md).
   */
  count?: number;
}

/** `waitForJob` options. */
export interface WaitForJobOptions extends HotglueFlowCallOptions {
  /** Give up after this long, ms; rejects with `HotglueTimeoutError` (kind `wait`). Default 1,800,000 (30 min). */
  timeoutMs?: number;
  /** First wait between polls, ms; doubles per poll up to `maxIntervalMs`. Default 2000. */
  intervalMs?: number;
  /** Longest wait between polls, ms. Default 15000 (hotglue's widget polls every 15 s). */
  maxIntervalMs?: number;
}

/** `listTenants` options. */
export interface ListTenantsOptions extends HotglueCallOptions {
  /** hotglue's `tenant` filter. */
  tenant?: string;
}

/** `getConnectorAccessToken` options. */
export interface GetConnectorAccessTokenOptions extends HotglueSecretFlowCallOptions {
  /** Extra properties to return, e.g. `['refresh_token', 'expires_in']` (`include_properties`). */
  includeProperties?: readonly string[];
}

/** `writeRecords` / `createMagicLink` options. */
export interface HotglueSecretWriteCallOptions extends HotglueSecretFlowCallOptions {
  /** Sent once unless `true`. */
  retry?: boolean;
}

/** `getSourceCredentials` options. */
export interface GetSourceCredentialsOptions extends HotglueFlowCallOptions {
  /** Skip the cache: fetch from hotglue now (the result replaces the cached one). */
  fresh?: boolean;
  /**
   * Config fields to return in `properties`, e.g. `['instance_url']`. Default: every field whose name does
   * not look secret. Secret-looking names (`client_secret`, `api_key`, ...) are never returned there.
   */
  properties?: readonly string[];
}

/**
 * `getConnectorCredentials` options (for a V2 connector, or a V1 tap or target: the same `accesstoken`
 * route). Always the secret key: `accesstoken` is a backend-only route.
 */
export interface GetConnectorCredentialsOptions extends HotglueSecretFlowCallOptions {
  /** Skip the cache: ask hotglue now (the result replaces the cached one). */
  fresh?: boolean;
  /**
   * Extra config fields to ask for (`include_properties`) and return in `properties`, e.g. `['instance_url']`.
   * The refresh token and the expiry are always asked for. Secret-looking names never reach `properties`.
   */
  properties?: readonly string[];
}
