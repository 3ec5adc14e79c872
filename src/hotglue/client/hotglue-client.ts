import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { HotglueArgumentError } from '../hotglue.errors.js';
import type { HotglueValidatedOptions } from '../options/hotglue.options.js';
import {
  buildProviderRegistry,
  type HotglueProviderClient,
  HotglueProviderError,
  ProviderAgent,
  ProviderBases,
  ProviderClient,
  ProviderConnections,
  type ProviderRuntime,
  type ResolvedProviderEntry,
} from '../provider/index.js';
import { type HotglueTelemetry, NOOP_TELEMETRY } from '../telemetry/index.js';
import { HotglueAbortError, HotglueFlowIdMissingError, HotglueTimeoutError } from './client.errors.js';
import type { HotglueAuthMode } from './client-hooks.js';
import type {
  GetConnectorAccessTokenOptions,
  GetConnectorCredentialsOptions,
  GetLinkedConnectorsOptions,
  GetLinkedSourcesOptions,
  GetLinkedTargetsOptions,
  GetSourceCredentialsOptions,
  GetSupportedSourcesOptions,
  HotglueAuthCallOptions,
  HotglueCallOptions,
  HotglueFlowCallOptions,
  HotglueSecretFlowCallOptions,
  HotglueSecretWriteCallOptions,
  HotglueWriteCallOptions,
  JobFilterOptions,
  ListJobsOptions,
  ListTenantsOptions,
  WaitForJobOptions,
} from './client-options.js';
import type { HotglueCredentials } from './credentials.js';
import { DEFAULT_CREDENTIAL_PROPERTIES } from './credentials-parse.js';
import { isNestDebugEnabled } from './debug-enabled.js';
import { HOTGLUE_ENDPOINTS as E, type HotglueEndpoint } from './endpoints.js';
import type { HotglueRequester } from './http-pool.js';
import type {
  HotglueAck,
  HotglueConnectorAccessToken,
  HotglueConnectorSettings,
  HotglueConnectorState,
  HotglueDiscoverRun,
  HotglueFlow,
  HotglueJob,
  HotglueJsonObject,
  HotglueLinkConnectorRequest,
  HotglueLinkedConnector,
  HotglueLinkedSource,
  HotglueLinkedTarget,
  HotglueLinkSourceRequest,
  HotglueLinkTargetRequest,
  HotglueMagicLink,
  HotglueMagicLinkRequest,
  HotglueRunConnectorJobRequest,
  HotglueRunJobRequest,
  HotglueSchedule,
  HotglueScheduleRequest,
  HotglueTenantMappingRequest,
  HotglueTenantRecord,
  HotglueUpdateLinkedConnectorRequest,
  HotglueUpdateLinkedSourceRequest,
  HotglueWriteRecordsRequest,
  HotglueWriteRecordsResult,
  HotglueWriteStatus,
} from './models.js';
import { TenantCredentials } from './tenant-credentials.js';
import { type HotglueTokenProvider, HotglueTransport, sleep, type TransportCall } from './transport.js';

const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60 * 1000;
const DEFAULT_WAIT_INTERVAL_MS = 2000;
const DEFAULT_WAIT_MAX_INTERVAL_MS = 15_000;

/**
 * hotglue's API, one typed method per operation (see docs/hotglue-reference.md), over one transport (see
 * `HotglueTransport`): keep-alive pool, timeouts, safe retries, typed errors, redaction.
 *
 * Auth per call: `auth: 'secret'` sends the secret API key; `auth: 'tenant'` sends the public API key and, on
 * every tenant-specific route (Require-JWT environments), the tenant's token (`HotglueTokenService.getToken`)
 * as `token`. Default:
 * `'secret'` when a secret key is configured, else `'tenant'`. Backend-only operations (`listTenants`,
 * `getTenantConfig`, `createMagicLink`, `getConnectorAccessToken`, `getConnectorCredentials`, `writeRecords`)
 * always use the secret key.
 *
 * Tenant credentials (`getSourceCredentials`, `getConnectorCredentials`, `evictCredentials`) are cached here,
 * one cache per client and so per environment (see docs/credentials.md).
 */
export class HotglueClient {
  private readonly transport: HotglueTransport;
  // #private: util.inspect never shows it, and the cache inside holds tenants' OAuth credentials.
  readonly #credentials: TenantCredentials;
  /** What `provider()` needs, built at its first call (`#providerSetup`): boot never pays for it. */
  #providerState: ProviderSetup | undefined;
  readonly #providerAgent: HotglueRequester | undefined;
  readonly #telemetry: HotglueTelemetry | undefined;
  /**
   * The same clients for the common call (a linked source, the module's flow and auth mode), by tap then
   * tenant: two map reads with the caller's own strings, no key built. Bounded like the LRU (emptied when
   * full; the LRU still holds them).
   */
  readonly #defaultProviderClients = new Map<string, Map<string, ProviderClient>>();
  #defaultProviderClientCount = 0;

  // Built by `hotglue.providers.ts` (a factory per environment), never by Nest from this constructor.
  constructor(
    private readonly options: HotglueValidatedOptions,
    tokens: HotglueTokenProvider,
    pool: HotglueRequester,
    telemetry?: HotglueTelemetry,
    providerAgent?: HotglueRequester,
  ) {
    const logger = new Logger('HotglueClient');
    this.transport = new HotglueTransport(
      pool,
      options,
      tokens,
      {
        debug: (message) => logger.debug(message),
        isDebugEnabled: isNestDebugEnabled,
      },
      telemetry,
    );
    this.#credentials = new TenantCredentials(
      {
        envId: options.envId,
        cacheSize: options.credentialsCacheSize,
        refreshMarginMs: options.credentialsRefreshMarginSeconds * 1000,
        defaultTtlMs: options.credentialsDefaultTtlSeconds * 1000,
        allowedProperties: options.credentialsProperties,
      },
      {
        linkedSources: (tenantId, tap, flowId, auth) =>
          this.getLinkedSources(tenantId, { flowId, auth, config: true, tapName: tap }),
        accessToken: (tenantId, connectorId, flowId, includeProperties) =>
          this.getConnectorAccessToken(tenantId, connectorId, { flowId, includeProperties }),
      },
    );
    // The host's `providers` entries are checked at boot by the options schema; the registry and caches
    // built from them wait for the first provider call (and undici for the first provider request).
    this.#providerAgent = providerAgent;
    this.#telemetry = telemetry;
  }

  /**
   * The provider registry (built-in entries overlaid with the option `providers`), the runtime its clients
   * share and the cache of `provider()` results: built once, at the first `provider()` call. Boot skips it
   * (a `new URL` per built-in origin and three LRU caches with their preallocated arrays).
   */
  #providerSetup(): ProviderSetup {
    if (this.#providerState !== undefined) return this.#providerState;
    const options = this.options;
    this.#providerState = {
      registry: buildProviderRegistry(options.providers),
      runtime: {
        settings: options.providerHttp,
        dispatcher: this.#providerAgent ?? new ProviderAgent(options.providerHttp),
        telemetry: this.#telemetry ?? NOOP_TELEMETRY,
        connections: new ProviderConnections(
          options.credentialsCacheSize,
          options.onProviderConnectionChange,
        ),
        bases: new ProviderBases(),
      },
      allowedProperties: new Set([...DEFAULT_CREDENTIAL_PROPERTIES, ...options.credentialsProperties]),
      clients: new LRUCache({ max: Math.min(Math.max(options.credentialsCacheSize, 1), 10_000) }),
    };
    return this.#providerState;
  }

  // ---- The tenant's provider API ----

  /**
   * A client for the tenant's own provider API (Salesforce, HubSpot, ...) that injects the tenant's OAuth
   * token, read through `getSourceCredentials` (or `getConnectorCredentials` with `connector: true`, with
   * `flowId` / `auth` as those take them). `entity` is the tap or connector id, and the key of the provider
   * registry (built-in entries plus the module option `providers`), which says where calls may go and how
   * the token is sent. An id with no entry is refused here, before any credential is read.
   *
   * Throws `HotglueProviderError` (`unknown-provider`). See `HotglueProviderClient` and docs/providers.md.
   */
  provider(
    tenantId: string,
    entity: string,
    options: { connector?: boolean; flowId?: string; auth?: HotglueAuthMode } = NO_PROVIDER_OPTIONS,
  ): HotglueProviderClient {
    const common =
      options.connector !== true &&
      options.flowId === undefined &&
      options.auth === undefined &&
      typeof tenantId === 'string';
    if (common) {
      const known = this.#defaultProviderClients.get(entity)?.get(tenantId);
      if (known !== undefined) return known;
    }
    const setup = this.#providerSetup();
    const entry = typeof entity === 'string' ? setup.registry.get(entity) : undefined;
    if (!entry) {
      throw new HotglueProviderError(
        'unknown-provider',
        'no provider registry entry for this tap or connector id; add one with the module option providers (docs/providers.md)',
        { provider: String(entity).slice(0, 128), tenantId: String(tenantId).slice(0, 256) },
      );
    }
    const kind = options.connector === true ? 'connector' : 'source';
    const flowId = this.flow(
      { operation: kind === 'source' ? 'getSourceCredentials' : 'getConnectorCredentials' },
      options,
    );
    // Only a string tenant is remembered: another type must fail at its call as it always has, and must not
    // share a key with the string it prints as.
    const reusable =
      typeof tenantId === 'string' && (options.auth === undefined || typeof options.auth === 'string');
    const key = reusable
      ? `${kind}\0${flowId.length}:${flowId}\0${options.auth ?? ''}\0${entity.length}:${entity}\0${tenantId}`
      : undefined;
    const known = key === undefined ? undefined : setup.clients.get(key);
    if (known !== undefined) {
      if (common) this.#rememberDefaultProviderClient(entity, tenantId, known);
      return known;
    }
    // Only when the base URL needs a property outside the default allow-lists: otherwise the cache entry
    // is the one getSourceCredentials uses too.
    const allowed = setup.allowedProperties;
    const properties = entry.propertyNames.every((name) => allowed.has(name))
      ? undefined
      : entry.propertyNames;
    const client = new ProviderClient(
      setup.runtime,
      entry,
      new ProviderCredentialsTarget(
        this,
        this.#credentials,
        tenantId,
        entity,
        kind,
        flowId,
        options.auth,
        properties,
      ),
    );
    if (key !== undefined) setup.clients.set(key, client);
    if (common) this.#rememberDefaultProviderClient(entity, tenantId, client);
    return client;
  }

  #rememberDefaultProviderClient(entity: string, tenantId: string, client: ProviderClient): void {
    // Only `provider()` calls it, once `#providerSetup()` has run.
    if (this.#defaultProviderClientCount >= this.#providerSetup().clients.max) {
      this.#defaultProviderClients.clear();
      this.#defaultProviderClientCount = 0;
    }
    let byTenant = this.#defaultProviderClients.get(entity);
    if (byTenant === undefined) {
      byTenant = new Map();
      this.#defaultProviderClients.set(entity, byTenant);
    }
    if (!byTenant.has(tenantId)) this.#defaultProviderClientCount++;
    byTenant.set(tenantId, client);
  }

  // ---- Tenant credentials (cached) ----

  /**
   * The tenant's OAuth credentials for a linked source (V1: `linkedSources?config=true&tap_name=`), in either
   * auth mode (tenant mode sends the tenant's token). Cached per (environment, tenant, flow, tap) until
   * `credentialsRefreshMarginSeconds` before `expiresAt` (or `credentialsDefaultTtlSeconds` without one);
   * concurrent callers share one fetch; `fresh: true` skips the cache.
   *
   * Rejects with `HotglueCredentialsError` (`not-linked`, `no-token`, `revoked`; never cached) or with the
   * call's own error (`HotglueApiError`, `HotglueTimeoutError`, ...). The result is a credential: keep it on
   * the server and out of logs (it prints redacted).
   */
  async getSourceCredentials(
    tenantId: string,
    tap: string,
    options: GetSourceCredentialsOptions = {},
  ): Promise<HotglueCredentials> {
    return this.#credentials.source(tenantId, tap, {
      flowId: this.flow({ operation: 'getSourceCredentials' }, options),
      auth: options.auth,
      fresh: options.fresh,
      properties: options.properties,
      signal: options.signal,
    });
  }

  /**
   * The tenant's OAuth credentials from `connectors/{id}/accesstoken` with `include_properties` (hotglue
   * refreshes an expired token there). `connectorId` is a V2 connector id, or a V1 tap or target id: the
   * route is not V2-only, hotglue's own SDK passes its `TAP` or `TARGET` there
   * (https://github.com/hotgluexyz/HotglueSingerSDK, `hotglue_singer_sdk/helpers/_hotglue_api.py`), and
   * hotglue supports it "on select connectors" (https://docs.hotglue.com/api-reference/access-tokens/retrieve-access-token.md).
   * Always the secret key. Cached and failing like `getSourceCredentials`.
   */
  async getConnectorCredentials(
    tenantId: string,
    connectorId: string,
    options: GetConnectorCredentialsOptions = {},
  ): Promise<HotglueCredentials> {
    return this.#credentials.connector(tenantId, connectorId, {
      flowId: this.flow({ operation: 'getConnectorCredentials' }, options),
      fresh: options.fresh,
      properties: options.properties,
      signal: options.signal,
    });
  }

  /**
   * Forgets the tenant's cached credentials: every source and connector, or only those whose tap /
   * connector id is `entity` (in every flow). Synchronous and cheap (an index per tenant): call it when the
   * tenant reconnects, unlinks, or a connection webhook arrives. Fetches already under way are not cached.
   */
  evictCredentials(tenantId: string, entity?: string): void {
    this.#credentials.evict(tenantId, entity);
  }

  // ---- Linked sources / targets (V1) ----

  /** `GET /{env}/{flow}/{tenant}/linkedSources`: the tenant's linked sources. Tenant mode sends `token`. */
  async getLinkedSources(
    tenantId: string,
    options: GetLinkedSourcesOptions = {},
  ): Promise<HotglueLinkedSource[]> {
    return this.tenantCall(E.getLinkedSources, tenantId, options, {
      query: {
        config: options.config,
        login_state: options.loginState,
        tap_name: options.tapName,
        catalog: options.catalog,
      },
    });
  }

  /**
   * `POST …/linkedSources`: links a source for the tenant. Sent once unless `retry: true`, with one
   * exception: in tenant mode a 401 (hotglue refused the token, so nothing was done) re-signs the token and
   * sends the request once more.
   */
  async linkSource(
    tenantId: string,
    body: HotglueLinkSourceRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.linkSource, tenantId, options, { body, retry: options.retry });
  }

  /** `PATCH …/linkedSources`: updates a linked source's `config` or `field_map`. Sent once unless `retry: true`. */
  async updateLinkedSource(
    tenantId: string,
    body: HotglueUpdateLinkedSourceRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.updateLinkedSource, tenantId, options, { body, retry: options.retry });
  }

  /** `DELETE …/linkedSources?tap_name=`: unlinks one source. */
  async unlinkSource(
    tenantId: string,
    tapName: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.unlinkSource, tenantId, options, {
      query: { tap_name: required('tapName', tapName) },
    });
  }

  /**
   * `GET /{env}/{flow}/{tenant}/linkedSources/state?tap_name=`: a linked V1 source's incremental state
   * (its Singer `bookmarks`). The path is the one hotglue's widget resets state on; GET on it comes from
   * third-party code, not from a page we read (docs/client.md). Either auth mode; tenant mode sends the token.
   */
  async getLinkedSourceState(
    tenantId: string,
    tap: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueConnectorState> {
    return this.tenantCall(E.getLinkedSourceState, tenantId, options, {
      query: { tap_name: required('tap', tap) },
    });
  }

  /**
   * `DELETE /{env}/{flow}/{tenant}/linkedSources/state?tap_name=`: resets a linked V1 source's incremental
   * state, so its next job syncs everything (what hotglue's widget does before "Run a Full Sync Job"). To
   * run one job from a given state instead, pass `state` to `runJob`. Either auth mode.
   */
  async deleteLinkedSourceState(
    tenantId: string,
    tap: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.deleteLinkedSourceState, tenantId, options, {
      query: { tap_name: required('tap', tap) },
    });
  }

  /** `GET …/linkedTargets`: the tenant's linked targets. Tenant mode sends `token`. */
  async getLinkedTargets(
    tenantId: string,
    options: GetLinkedTargetsOptions = {},
  ): Promise<HotglueLinkedTarget[]> {
    return this.tenantCall(E.getLinkedTargets, tenantId, options, {
      query: {
        config: options.config,
        login_state: options.loginState,
        catalog: options.catalog,
        target_name: options.targetName,
      },
    });
  }

  /**
   * `POST …/linkedTargets`: links a target. Sent once unless `retry: true`, with one exception: in tenant
   * mode a 401 (hotglue refused the token, so nothing was done) re-signs the token and sends the request
   * once more.
   */
  async linkTarget(
    tenantId: string,
    body: HotglueLinkTargetRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.linkTarget, tenantId, options, { body, retry: options.retry });
  }

  /** `DELETE …/linkedTargets?target_name=`: unlinks one target. */
  async unlinkTarget(
    tenantId: string,
    targetName: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.unlinkTarget, tenantId, options, {
      query: { target_name: required('targetName', targetName) },
    });
  }

  // ---- Linked connectors (V2) ----

  /** `GET /v2/{env}/{flow}/{tenant}/linkedConnectors`. Tenant mode sends `token`. */
  async getLinkedConnectors(
    tenantId: string,
    options: GetLinkedConnectorsOptions = {},
  ): Promise<HotglueLinkedConnector[]> {
    return this.tenantCall(E.getLinkedConnectors, tenantId, options, {
      query: { config: options.config, catalog: options.catalog, connector_id: options.connectorId },
    });
  }

  /**
   * `POST /v2/…/linkedConnectors`: links a connector. Sent once unless `retry: true`, with one exception: in
   * tenant mode a 401 (hotglue refused the token, so nothing was done) re-signs the token and sends the
   * request once more.
   */
  async linkConnector(
    tenantId: string,
    body: HotglueLinkConnectorRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.linkConnector, tenantId, options, { body, retry: options.retry });
  }

  /**
   * `PATCH /v2/…/linkedConnectors`: updates a linked connector. Sent once unless `retry: true`, with one
   * exception: in tenant mode a 401 (hotglue refused the token, so nothing was done) re-signs the token and
   * sends the request once more.
   */
  async updateLinkedConnector(
    tenantId: string,
    body: HotglueUpdateLinkedConnectorRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.updateLinkedConnector, tenantId, options, { body, retry: options.retry });
  }

  /** `DELETE /v2/…/linkedConnectors?connector_id=`: unlinks a connector. */
  async unlinkConnector(
    tenantId: string,
    connectorId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.unlinkConnector, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
    });
  }

  /**
   * `GET /v2/{env}/{flow}/{tenant}/linkedConnectors/discover?connector_id=`: starts a discover of the linked
   * connector (its catalog of streams and fields, for field maps and table selection); poll `pollDiscover`
   * until `status` is not `RUNNING`. hotglue sends the discover webhooks as it moves forward. Either auth
   * mode; tenant mode sends the tenant's token.
   */
  async triggerDiscover(
    tenantId: string,
    connectorId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueDiscoverRun> {
    return this.tenantCall(E.triggerDiscover, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
    });
  }

  /**
   * `GET /v2/…/linkedConnectors/discover/poll?connector_id=`: where the connector's last discover stands,
   * `{ status }` (`RUNNING` while it runs). Either auth mode; tenant mode sends the tenant's token.
   */
  async pollDiscover(
    tenantId: string,
    connectorId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueDiscoverRun> {
    return this.tenantCall(E.pollDiscover, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
    });
  }

  /** `GET /v2/…/linkedConnectors/state?connector_id=`: the connector's incremental state. */
  async getConnectorState(
    tenantId: string,
    connectorId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueConnectorState> {
    return this.tenantCall(E.getConnectorState, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
    });
  }

  /** `PUT /v2/…/linkedConnectors/state?connector_id=` with `{ state }`: replaces the incremental state. */
  async setConnectorState(
    tenantId: string,
    connectorId: string,
    state: HotglueConnectorState,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.setConnectorState, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
      body: { state },
    });
  }

  /** `DELETE /v2/…/linkedConnectors/state?connector_id=`: resets the incremental state. */
  async deleteConnectorState(
    tenantId: string,
    connectorId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    return this.tenantCall(E.deleteConnectorState, tenantId, options, {
      query: { connector_id: required('connectorId', connectorId) },
    });
  }

  // ---- Flows and catalog ----

  /** `GET /{env}/flows/supported`: every flow of the environment. */
  async getSupportedFlows(options: HotglueAuthCallOptions = {}): Promise<HotglueFlow[]> {
    return this.call(E.getSupportedFlows, undefined, options);
  }

  /** `GET /{env}/flows/{flow}/supported`: one flow (default the module's `flowId`). */
  async getSupportedFlow(options: HotglueFlowCallOptions = {}): Promise<HotglueFlow> {
    return this.call(E.getSupportedFlow, { flow: this.flow(E.getSupportedFlow, options) }, options);
  }

  /** `GET /{env}/flows/linked?user_id={tenant}`: the flows the tenant has linked. Tenant mode sends `token`. */
  async getLinkedFlows(tenantId: string, options: HotglueAuthCallOptions = {}): Promise<HotglueFlow[]> {
    return this.call(E.getLinkedFlows, undefined, options, {
      query: { user_id: required('tenantId', tenantId) },
      tenantId,
    });
  }

  /** `GET /{env}/{flow}/supportedSources`: the sources a flow offers. */
  async getSupportedSources(options: GetSupportedSourcesOptions = {}): Promise<HotglueConnectorSettings[]> {
    return this.call(E.getSupportedSources, { flow: this.flow(E.getSupportedSources, options) }, options, {
      query: { catalog: options.catalog },
    });
  }

  /** `GET /{env}/{flow}/supportedTargets`: the targets a flow offers. */
  async getSupportedTargets(options: HotglueFlowCallOptions = {}): Promise<HotglueConnectorSettings[]> {
    return this.call(E.getSupportedTargets, { flow: this.flow(E.getSupportedTargets, options) }, options);
  }

  /** `GET /v2/{env}/{flow}/supportedConnectors`: the connectors a V2 flow offers. */
  async getSupportedConnectors(options: HotglueFlowCallOptions = {}): Promise<HotglueConnectorSettings[]> {
    return this.call(
      E.getSupportedConnectors,
      { flow: this.flow(E.getSupportedConnectors, options) },
      options,
    );
  }

  /** `GET /v2/{env}/availableConnectors`: every connector available to the environment. */
  async getAvailableConnectors(options: HotglueAuthCallOptions = {}): Promise<HotglueConnectorSettings[]> {
    return this.call(E.getAvailableConnectors, undefined, options);
  }

  // ---- Jobs and schedules ----

  /** `POST /{env}/{flow}/{tenant}/jobs`: starts a V1 job. Sent exactly once unless `retry: true`. */
  async runJob(
    tenantId: string,
    body: HotglueRunJobRequest = {},
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueJob> {
    return this.tenantCall(E.runJob, tenantId, options, { body, retry: options.retry });
  }

  /** `POST /v2/{env}/{flow}/{tenant}/jobs`: starts a V2 read or write job. Sent exactly once unless `retry: true`. */
  async runConnectorJob(
    tenantId: string,
    body: HotglueRunConnectorJobRequest,
    options: HotglueWriteCallOptions = {},
  ): Promise<HotglueJob> {
    return this.tenantCall(E.runConnectorJob, tenantId, options, { body, retry: options.retry });
  }

  /**
   * `GET …/jobs`: the tenant's job history in the flow, newest first; `count` caps it (sent as `count`, the
   * name of hotglue's CLI option: the wire name is not published). A `count` that is not a positive integer
   * rejects with `HotglueArgumentError` before sending.
   */
  async listJobs(tenantId: string, options: ListJobsOptions = {}): Promise<HotglueJob[]> {
    const count = options.count;
    if (count !== undefined && !(Number.isSafeInteger(count) && count > 0)) {
      throw new HotglueArgumentError('count', 'must be a positive integer (the most jobs to return).');
    }
    return this.tenantCall(E.listJobs, tenantId, options, {
      query: { entity_id: options.entityId, entity_type: options.entityType, count },
    });
  }

  /** `GET …/jobs/latest`: the tenant's latest job in the flow. */
  async getLatestJob(tenantId: string, options: JobFilterOptions = {}): Promise<HotglueJob> {
    return this.tenantCall(E.getLatestJob, tenantId, options, {
      query: { entity_id: options.entityId, entity_type: options.entityType },
    });
  }

  /**
   * `GET …/jobs/status?job_root=`: one job by its `s3_root`. hotglue's example carries the flow as `flow`
   * where other Job answers carry `flow_id` (https://docs.hotglue.com/api-reference/jobs/poll-job-status.md):
   * `flow_id` is filled from it when absent, so callers read one field. `flow` itself is kept as the flow id
   * (an object `{ id, name }` is reduced to its `id`).
   */
  async getJobStatus(
    tenantId: string,
    jobRoot: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueJob> {
    const job = await this.tenantCall<HotglueJob>(E.getJobStatus, tenantId, options, {
      query: { job_root: required('jobRoot', jobRoot) },
    });
    const flow: unknown = job?.flow;
    if (typeof flow === 'object' && flow !== null) {
      const id = (flow as { id?: unknown }).id;
      if (typeof id === 'string') job.flow = id;
      else delete job.flow;
    }
    if (job && typeof job === 'object' && job.flow_id === undefined && typeof job.flow === 'string') {
      job.flow_id = job.flow;
    }
    return job;
  }

  /**
   * Polls `getJobStatus` until the status contains `FAILED` or `COMPLETED` and returns that Job (a failed
   * job resolves too: check `status`). Waits `intervalMs`, doubling up to `maxIntervalMs`, between polls.
   * `signal` cancels at once (`HotglueAbortError`); past `timeoutMs` it rejects with `HotglueTimeoutError`
   * (kind `wait`). Each poll has the transport's own timeouts and retries.
   */
  async waitForJob(tenantId: string, jobRoot: string, options: WaitForJobOptions = {}): Promise<HotglueJob> {
    const timeoutMs = positive('timeoutMs', options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS);
    let interval = positive('intervalMs', options.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS);
    const maxInterval = Math.max(
      interval,
      positive('maxIntervalMs', options.maxIntervalMs ?? DEFAULT_WAIT_MAX_INTERVAL_MS),
    );
    const flowId = this.flow(E.getJobStatus, options);
    const deadline = Date.now() + timeoutMs;
    const deadlineController = new AbortController();
    const timer = setTimeout(() => deadlineController.abort(), timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, deadlineController.signal])
      : deadlineController.signal;
    const info = (polls: number) => ({
      method: 'GET',
      path: `waitForJob(${E.getJobStatus.path})`,
      attempts: polls,
    });
    let polls = 0;
    try {
      for (;;) {
        polls++;
        let job: HotglueJob;
        try {
          job = await this.getJobStatus(tenantId, jobRoot, { ...options, flowId, signal });
        } catch (error) {
          if (error instanceof HotglueAbortError && !options.signal?.aborted) {
            throw new HotglueTimeoutError(info(polls), 'wait', timeoutMs);
          }
          throw error;
        }
        const status = typeof job.status === 'string' ? job.status : '';
        if (status.includes('FAILED') || status.includes('COMPLETED')) return job;
        const wait = Math.min(interval, Math.max(0, deadline - Date.now()));
        if (!(await sleep(wait, signal))) {
          if (options.signal?.aborted) throw new HotglueAbortError(info(polls));
          throw new HotglueTimeoutError(info(polls), 'wait', timeoutMs);
        }
        interval = Math.min(maxInterval, interval * 2);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** `GET …/jobs/schedule`: the tenant's schedule in the flow. */
  async getSchedule(tenantId: string, options: HotglueFlowCallOptions = {}): Promise<HotglueSchedule> {
    return this.tenantCall(E.getSchedule, tenantId, options, {});
  }

  /**
   * `PUT …/jobs/schedule`: creates or replaces the schedule, e.g. `{ schedule_expression: 'cron(0 0 * * *)' }`.
   * `state` is sent upper case (`ENABLED` / `DISABLED`, the API reference's form,
   * https://docs.hotglue.com/reference/jobs-schedule) even when given lower case as the scheduling guide
   * writes it (https://docs.hotglue.com/docs/jobs-scheduling).
   */
  async updateSchedule(
    tenantId: string,
    body: HotglueScheduleRequest,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueAck> {
    const state: unknown = body?.state;
    const sent = typeof state === 'string' ? { ...body, state: state.toUpperCase() } : body;
    return this.tenantCall(E.updateSchedule, tenantId, options, { body: sent });
  }

  /** `DELETE …/jobs/schedule`: removes the schedule. */
  async deleteSchedule(tenantId: string, options: HotglueFlowCallOptions = {}): Promise<HotglueAck> {
    return this.tenantCall(E.deleteSchedule, tenantId, options, {});
  }

  // ---- Tenants, links, credentials, real-time (secret key only) ----

  /**
   * `GET /tenants/{env}`: the environment's tenants, each as `{ id, ... }` whether hotglue answers tenant id
   * strings (what hotglue's own code reads) or objects naming the tenant (`id`, `tenant` or `tenant_id`);
   * an item naming no tenant is left out. Secret key only.
   */
  async listTenants(options: ListTenantsOptions = {}): Promise<HotglueTenantRecord[]> {
    const raw = await this.call<unknown>(E.listTenants, undefined, options, {
      query: { tenant: options.tenant },
    });
    return Array.isArray(raw) ? raw.flatMap(tenantRecord) : [];
  }

  /** `GET /tenant/{env}/{tenant}/config`: the tenant's config object. Secret key only. */
  async getTenantConfig(tenantId: string, options: HotglueCallOptions = {}): Promise<HotglueJsonObject> {
    return this.call(E.getTenantConfig, { tenant: tenantId }, options);
  }

  /**
   * `PUT /tenant/{env}/{tenant}/mapping` (https://docs.hotglue.com/api-reference/manage-tenants/set-tenant-mapping):
   * applies a field mapping without the mapping widget. `body.config.mapping` is required (an object);
   * `entityType`, `entityId` and `flow` are sent when given. Either auth mode; tenant mode sends the tenant's
   * token. Answers `{}`.
   */
  async setTenantMapping(
    tenantId: string,
    body: HotglueTenantMappingRequest,
    options: HotglueAuthCallOptions = {},
  ): Promise<HotglueAck> {
    const mapping: unknown = body?.config?.mapping;
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
      throw new HotglueArgumentError('config.mapping', 'must be an object (flow id -> tables -> fields).');
    }
    return this.call(E.setTenantMapping, { tenant: required('tenantId', tenantId) }, options, {
      body,
      tenantId,
    });
  }

  /**
   * `PUT /tenant/{env}/{tenant}/metadata`: merges `metadata` into the tenant's metadata, sent as
   * `{ config: { metadata } }` as hotglue's widget sends it (no page documents this route). Either auth mode;
   * tenant mode sends the tenant's token.
   */
  async setTenantMetadata(
    tenantId: string,
    metadata: HotglueJsonObject,
    options: HotglueAuthCallOptions = {},
  ): Promise<HotglueAck> {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new HotglueArgumentError('metadata', 'must be an object.');
    }
    return this.call(E.setTenantMetadata, { tenant: required('tenantId', tenantId) }, options, {
      body: { config: { metadata } },
      tenantId,
    });
  }

  /**
   * `POST /{env}/magicLink` (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md): a
   * hosted link through which the tenant connects integrations, `{ url, expiresAt }` (`expiresAt` a `Date`,
   * or `null` when the link does not expire). `body.expiresAt` may be a `Date` or an ISO 8601 string and is
   * sent as ISO 8601; an unparseable one rejects with `HotglueArgumentError` before sending. The guide's older
   * `POST /{env}/connect` is not used. Secret key only; sent once unless `retry: true`.
   */
  async createMagicLink(
    body: HotglueMagicLinkRequest,
    options: HotglueSecretWriteCallOptions = {},
  ): Promise<HotglueMagicLink> {
    required('tenant', body?.tenant);
    const sent: HotglueJsonObject = { ...body };
    if (body.expiresAt !== undefined && body.expiresAt !== null) sent.expiresAt = isoDate(body.expiresAt);
    const raw = await this.call<HotglueJsonObject>(E.createMagicLink, undefined, options, {
      body: sent,
      retry: options.retry,
    });
    const expiresAt = typeof raw?.expiresAt === 'string' ? new Date(raw.expiresAt) : undefined;
    return {
      ...raw,
      url: raw?.url as string,
      expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
    };
  }

  /**
   * `GET /{env}/{flow}/{tenant}/connectors/{connector}/accesstoken`: a fresh OAuth access token of the tenant's
   * linked connector, source or target. `connectorId` is a V2 connector id or a V1 tap or target id, as
   * hotglue's SDK passes it (`getConnectorCredentials` names the sources). Secret key only. The result is a
   * credential: never log or forward it.
   */
  async getConnectorAccessToken(
    tenantId: string,
    connectorId: string,
    options: GetConnectorAccessTokenOptions = {},
  ): Promise<HotglueConnectorAccessToken> {
    const params = {
      flow: this.flow(E.getConnectorAccessToken, options),
      tenant: tenantId,
      connector: connectorId,
    };
    return this.call(E.getConnectorAccessToken, params, options, {
      query: { include_properties: options.includeProperties?.join(',') || undefined },
    });
  }

  /**
   * `POST /{env}/{flow}/{tenant}/connectors/{connector}/{stream}`: writes one record in real time
   * (https://docs.hotglue.com/api-reference/real-time/write). Secret key only; sent once unless `retry: true`.
   * `body.data` must be one object: an array rejects with `HotglueArgumentError` (`argument: 'data'`) before
   * anything is sent. The per-stream counts are in `result.state.summary`; with `async: true` poll
   * `getWriteStatus(tenantId, result.taskId)`.
   */
  async writeRecords(
    tenantId: string,
    connectorId: string,
    stream: string,
    body: HotglueWriteRecordsRequest,
    options: HotglueSecretWriteCallOptions = {},
  ): Promise<HotglueWriteRecordsResult> {
    const data = (body as { data?: unknown } | undefined)?.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      // hotglue documents `data` as "The object you want to post"; an array is not documented.
      throw new HotglueArgumentError(
        'data',
        'must be one JSON object (hotglue writes one record per call); call writeRecords once per record.',
      );
    }
    const params = {
      flow: this.flow(E.writeRecords, options),
      tenant: tenantId,
      connector: connectorId,
      stream,
    };
    return this.call(E.writeRecords, params, options, { body, retry: options.retry });
  }

  /**
   * `GET /{env}/{flow}/{tenant}/connectors/status?taskId=`: the outcome of a real-time write that answered
   * `async: true` (https://docs.hotglue.com/api-reference/real-time/status), as `{ hasData, result }` from
   * hotglue's `{ has_data, result }`. `hasData: false` means not ready yet: poll again. Either auth mode;
   * tenant mode sends the tenant's token.
   */
  async getWriteStatus(
    tenantId: string,
    taskId: string,
    options: HotglueFlowCallOptions = {},
  ): Promise<HotglueWriteStatus> {
    const raw = await this.tenantCall<{ has_data?: unknown; result?: unknown } | null>(
      E.getWriteStatus,
      tenantId,
      options,
      { query: { taskId: required('taskId', taskId) } },
    );
    const result = raw?.result;
    return {
      hasData: raw?.has_data === true,
      result:
        typeof result === 'object' && result !== null && !Array.isArray(result)
          ? (result as HotglueWriteStatus['result'])
          : null,
    };
  }

  // ---- helpers ----

  /** A call addressed to `/{flow}/{tenant}`; the tenant's token is used in tenant mode where accepted. */
  private tenantCall<T>(
    endpoint: HotglueEndpoint,
    tenantId: string,
    options: HotglueFlowCallOptions,
    extra: CallExtra,
  ): Promise<T> {
    return this.call<T>(endpoint, { flow: this.flow(endpoint, options), tenant: tenantId }, options, {
      query: extra.query,
      body: extra.body,
      retry: extra.retry,
      tenantId,
    });
  }

  /**
   * Hands one call to the transport. The `TransportCall` always has the same shape (same keys, same order):
   * objects built with spreads put V8 on a slow path in the transport that cost ~2x the per-call overhead.
   */
  private call<T>(
    endpoint: HotglueEndpoint,
    params: TransportCall['params'],
    options: HotglueAuthCallOptions | HotglueCallOptions,
    extra: CallExtra = {},
  ): Promise<T> {
    return this.transport.send<T>(endpoint, {
      params,
      query: extra.query,
      body: extra.body,
      tenantId: extra.tenantId,
      auth: (options as HotglueAuthCallOptions).auth,
      signal: options.signal,
      retry: extra.retry,
    });
  }

  private flow(endpoint: Pick<HotglueEndpoint, 'operation'>, options: HotglueSecretFlowCallOptions): string {
    const flowId = options.flowId ?? this.options.flowId;
    if (flowId === undefined) throw new HotglueFlowIdMissingError(endpoint.operation);
    return flowId;
  }
}

/** What `HotglueClient.provider()` needs, built at its first call. */
interface ProviderSetup {
  readonly registry: ReadonlyMap<string, ResolvedProviderEntry>;
  readonly runtime: ProviderRuntime;
  readonly allowedProperties: ReadonlySet<string>;
  /**
   * `provider()` results, per (kind, flow, auth, entity, tenant): a call site that asks for the same
   * tenant's client per request gets the one object, whose credentials cache id is computed once. They hold
   * no token and no per-call state, so sharing them is safe. Bounded (LRU).
   */
  readonly clients: LRUCache<string, ProviderClient>;
}

const NO_PROVIDER_OPTIONS: { connector?: boolean; flowId?: string; auth?: HotglueAuthMode } = Object.freeze(
  {},
);

/**
 * Whose credentials a `HotglueProviderClient` uses and how it gets them: a class rather than closures, so
 * the per-call `client.provider(...)` allocates one small object.
 */
class ProviderCredentialsTarget {
  /** The credentials cache entry this target reads, computed once. */
  private readonly cacheId: string | undefined;

  constructor(
    private readonly client: HotglueClient,
    private readonly store: TenantCredentials,
    readonly tenantId: string,
    readonly entity: string,
    readonly kind: 'source' | 'connector',
    readonly flowId: string,
    private readonly auth: HotglueAuthMode | undefined,
    private readonly properties: readonly string[] | undefined,
  ) {
    // Anything but a string tenant never hits: `credentials()` then refuses it with the usual typed error.
    this.cacheId =
      typeof tenantId === 'string' ? store.cacheIdOf(kind, tenantId, entity, flowId, properties) : undefined;
  }

  /** Fresh cached credentials, synchronously, or undefined (then `credentials(false)` does the rest). */
  cached(): HotglueCredentials | undefined {
    return this.cacheId === undefined ? undefined : this.store.peek(this.cacheId);
  }

  credentials(fresh: boolean): Promise<HotglueCredentials> {
    const { client, tenantId, entity, flowId, properties } = this;
    return this.kind === 'source'
      ? client.getSourceCredentials(tenantId, entity, { flowId, auth: this.auth, fresh, properties })
      : client.getConnectorCredentials(tenantId, entity, { flowId, fresh, properties });
  }

  evict(): void {
    this.client.evictCredentials(this.tenantId, this.entity);
  }
}

/** What a method adds to its call besides path parameters, auth and signal. */
interface CallExtra {
  readonly query?: TransportCall['query'];
  readonly body?: unknown;
  readonly retry?: boolean;
  readonly tenantId?: string;
}

function required(argument: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new HotglueArgumentError(argument, 'must be a non-empty string.');
  }
  return value;
}

/** A `Date` or a date-time string as ISO 8601 (hotglue's `format: date-time`). */
function isoDate(value: Date | string): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new HotglueArgumentError('expiresAt', 'must be a valid Date or an ISO 8601 date-time string.');
  }
  return date.toISOString();
}

/** Node's timers overflow above 2^31 - 1 ms (~24.8 days) and would then fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

function positive(argument: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS)
    throw new HotglueArgumentError(
      argument,
      `must be a positive number of milliseconds, at most ${MAX_TIMER_MS} (about 24.8 days).`,
    );
  return value;
}

/** One `listTenants` item as `{ id, ... }`: a tenant id string, or an object naming its tenant. */
function tenantRecord(item: unknown): HotglueTenantRecord[] {
  if (typeof item === 'string') return item === '' ? [] : [{ id: item }];
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
  const fields = item as Record<string, unknown>;
  for (const name of ['id', 'tenant', 'tenant_id']) {
    const value = fields[name];
    if (typeof value === 'string' && value !== '') return [{ ...fields, id: value }];
  }
  return [];
}
