import { HotglueArgumentError } from '../hotglue.errors.js';
import { RefreshingCache } from '../internal/refreshing-cache.js';
import { assertValidTenantId } from '../internal/tenant-id.js';
import { HotglueAbortError } from './client.errors.js';
import type { HotglueAuthMode } from './client-hooks.js';
import {
  credentialsFailureOf,
  HotglueCredentialsError,
  type HotglueCredentialsTarget,
} from './credentials.errors.js';
import type { HotglueCredentials } from './credentials.js';
import { credentialsFromConfig } from './credentials-parse.js';

/** Fields the `accesstoken` call always asks for, so the expiry and the refresh token can be read. */
const TOKEN_PROPERTIES = ['refresh_token', 'expires_in', 'expires_at', 'token_expiry'] as const;

/** The two hotglue calls credentials come from; `HotglueClient` passes its own methods. */
export interface CredentialsFetchers {
  /** `GET …/linkedSources?config=true&tap_name=`. */
  linkedSources(
    tenantId: string,
    tap: string,
    flowId: string,
    auth: HotglueAuthMode | undefined,
  ): Promise<ReadonlyArray<{ tap?: unknown; config?: unknown }>>;
  /** `GET …/connectors/{id}/accesstoken?include_properties=`. */
  accessToken(
    tenantId: string,
    connectorId: string,
    flowId: string,
    includeProperties: readonly string[],
  ): Promise<unknown>;
}

/** Cache settings, from the module options. */
export interface TenantCredentialsSettings {
  readonly envId: string;
  readonly cacheSize: number;
  /** Credentials stop being served from the cache this long before `expiresAt`. */
  readonly refreshMarginMs: number;
  /** How long credentials without an expiry stay cached; 0: not at all. */
  readonly defaultTtlMs: number;
  /** Config fields `properties` may carry beyond the built-in ones (`credentialsProperties`). */
  readonly allowedProperties?: readonly string[];
}

/** Per-call inputs shared by both kinds. */
export interface CredentialsRequest {
  readonly flowId: string;
  readonly fresh?: boolean;
  readonly properties?: readonly string[];
  readonly signal?: AbortSignal;
}

/**
 * Tenant credentials, fetched from hotglue, checked, typed and cached until shortly before they expire.
 * No Nest here: `HotglueClient` owns one instance (so one per environment) and hands it its own calls.
 */
export class TenantCredentials {
  /**
   * Built at the first `source` / `connector` call (`#cache()`): boot and an app that never reads
   * credentials skip it. Before it exists nothing is cached or loading, so `peek` and `evict` have nothing
   * to do.
   */
  #built: RefreshingCache<HotglueCredentials> | undefined;

  constructor(
    private readonly settings: TenantCredentialsSettings,
    private readonly fetchers: CredentialsFetchers,
  ) {}

  #cache(): RefreshingCache<HotglueCredentials> {
    this.#built ??= new RefreshingCache(this.settings.cacheSize);
    return this.#built;
  }

  /** A linked source's credentials (V1). */
  source(
    tenantId: string,
    tap: string,
    request: CredentialsRequest & { readonly auth?: HotglueAuthMode },
  ): Promise<HotglueCredentials> {
    const target = this.target('source', 'tap', tenantId, tap, request);
    const pick = checkProperties(request.properties);
    return this.cached(target, request, pick, async () => {
      const list = await this.fetchers.linkedSources(tenantId, tap, target.flowId, request.auth);
      // hotglue filters by `tap_name`; checked again in case a server ignores the filter.
      const linked = Array.isArray(list) ? list.find((source) => source?.tap === tap) : undefined;
      if (!linked) throw new HotglueCredentialsError('not-linked', target);
      return linked.config;
    });
  }

  /** A linked connector's credentials (V2, `accesstoken`: hotglue refreshes an expired token here). */
  connector(tenantId: string, connectorId: string, request: CredentialsRequest): Promise<HotglueCredentials> {
    const target = this.target('connector', 'connectorId', tenantId, connectorId, request);
    const pick = checkProperties(request.properties) ?? [];
    const include = [...new Set([...TOKEN_PROPERTIES, ...pick])];
    return this.cached(target, request, pick, () =>
      this.fetchers.accessToken(tenantId, connectorId, target.flowId, include),
    );
  }

  /**
   * The id of the cache entry `source` / `connector` would read for these inputs, for `peek`. Validates
   * nothing: a tenant or entity that `source` / `connector` would refuse is never stored, so its id never
   * hits.
   */
  cacheIdOf(
    kind: 'source' | 'connector',
    tenantId: string,
    entity: string,
    flowId: string,
    properties: readonly string[] | undefined,
  ): string {
    return cacheId({
      envId: this.settings.envId,
      tenantId,
      kind,
      flowId,
      entity,
      variant: variantOf(kind === 'connector' ? (properties ?? []) : properties),
    });
  }

  /**
   * The cached credentials under `id` (from `cacheIdOf`) while fresh, synchronously; undefined when they
   * are not cached, stale, or being fetched again. `source` / `connector` then do the rest.
   */
  peek(id: string): HotglueCredentials | undefined {
    return this.#built?.peek(id);
  }

  /** Forgets the tenant's cached credentials: all of them, or only those of one tap / connector id. */
  evict(tenantId: string, entity?: string): void {
    this.#built?.evict(tenantId, entity);
  }

  private target(
    kind: 'source' | 'connector',
    argument: string,
    tenantId: string,
    entity: string,
    request: CredentialsRequest,
  ): HotglueCredentialsTarget {
    assertValidTenantId(tenantId);
    if (typeof entity !== 'string' || entity.length === 0 || entity.length > 256) {
      throw new HotglueArgumentError(argument, 'must be a non-empty string of at most 256 characters.');
    }
    if (request.fresh !== undefined && typeof request.fresh !== 'boolean') {
      throw new HotglueArgumentError('fresh', 'must be a boolean.');
    }
    return { kind, tenantId, flowId: request.flowId, entity };
  }

  private cached(
    target: HotglueCredentialsTarget,
    request: CredentialsRequest,
    pick: readonly string[] | undefined,
    fetchConfig: () => Promise<unknown>,
  ): Promise<HotglueCredentials> {
    const id = cacheId({
      envId: this.settings.envId,
      tenantId: target.tenantId,
      kind: target.kind,
      flowId: target.flowId,
      entity: target.entity,
      variant: variantOf(pick),
    });
    const load = async () => {
      const fetchedAt = Date.now();
      let config: unknown;
      try {
        config = await fetchConfig();
      } catch (error) {
        if (error instanceof HotglueCredentialsError) throw error;
        const reason = credentialsFailureOf(error);
        if (reason) throw new HotglueCredentialsError(reason, target, { cause: error });
        throw error;
      }
      const value = credentialsFromConfig(config, fetchedAt, pick, this.settings.allowedProperties);
      if (!value) throw new HotglueCredentialsError('no-token', target);
      return { value, refreshAt: this.refreshAt(value) };
    };
    // The shared load never gets a caller's signal: one caller giving up must not fail the others. Each
    // caller's signal ends only its own wait (the load is bounded by the transport's timeouts).
    if (request.signal?.aborted) return Promise.reject(new HotglueAbortError(abortInfo(target.kind)));
    // Grouped by tenant, member the tap / connector id: what `evict` (the connection webhooks) drops.
    const cached = this.#cache().get(id, load, {
      fresh: request.fresh === true,
      group: target.tenantId,
      member: target.entity,
    });
    return abortable(cached, request.signal, target.kind);
  }

  private refreshAt(value: HotglueCredentials): number {
    const expiresAt = value.expiresAt;
    if (expiresAt) return expiresAt.getTime() - this.settings.refreshMarginMs;
    return Date.now() + this.settings.defaultTtlMs;
  }
}

/** What one cache entry is for. */
interface CredentialsCacheKey {
  readonly envId: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly flowId: string;
  /** Tap or connector id. */
  readonly entity: string;
  /** Anything else that changes the answer (the requested properties), already normalised. */
  readonly variant: string;
}

/**
 * One string per key, unambiguous whatever the parts contain (each is length-prefixed), and cheaper than
 * `JSON.stringify` on the hit path.
 */
function cacheId(key: CredentialsCacheKey): string {
  const { envId, tenantId, kind, flowId, entity, variant } = key;
  return `${envId.length}:${envId}${tenantId.length}:${tenantId}${kind.length}:${kind}${flowId.length}:${flowId}${entity.length}:${entity}${variant}`;
}

/** The part of a cache key that the requested properties decide. */
function variantOf(pick: readonly string[] | undefined): string {
  return pick ? JSON.stringify([...pick].sort()) : '*';
}

function checkProperties(properties: readonly string[] | undefined): readonly string[] | undefined {
  if (properties === undefined) return undefined;
  if (
    !Array.isArray(properties) ||
    properties.some((p) => typeof p !== 'string' || p === '' || p.includes(','))
  ) {
    throw new HotglueArgumentError(
      'properties',
      'must be an array of config field names (non-empty strings without ","), e.g. ["instance_url"].',
    );
  }
  return properties;
}

/** What a `HotglueAbortError` of a credentials call reports (no HTTP request of its own to name). */
function abortInfo(kind: string) {
  return {
    method: 'GET',
    path: kind === 'source' ? 'getSourceCredentials' : 'getConnectorCredentials',
    attempts: 0,
  };
}

/** `promise`, or a `HotglueAbortError` as soon as `signal` fires (the promise keeps a handler either way). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, kind: string): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new HotglueAbortError(abortInfo(kind)));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
