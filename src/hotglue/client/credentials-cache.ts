import { LRUCache } from 'lru-cache';

/** What one cache entry is for; `tenantId` and `entity` are what eviction matches on. */
export interface CredentialsCacheKey {
  readonly envId: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly flowId: string;
  /** Tap or connector id. */
  readonly entity: string;
  /** Anything else that changes the answer (the requested properties), already normalised. */
  readonly variant: string;
}

/** A loaded value and the epoch millisecond from which it must not be served any more (<= now: do not cache). */
export interface Loaded<V> {
  readonly value: V;
  readonly staleAt: number;
}

interface Entry<V> {
  readonly value: V;
  readonly staleAt: number;
  readonly tenantId: string;
  readonly entity: string;
}

interface Flight<V> {
  readonly promise: Promise<V>;
  readonly tenantId: string;
  readonly entity: string;
}

/**
 * A bounded LRU of credentials that go stale at a known time, with single-flight loading (concurrent
 * misses for one key share one load), a `fresh` bypass, and eviction by tenant (and entity) that is
 * synchronous and touches only that tenant's entries (an index per tenant, kept in step by the LRU's
 * `dispose`). A failed load is never cached. A load that an eviction overtook still answers the callers
 * that were waiting for it, but is not stored: its value may be what the eviction meant to drop.
 *
 * Staleness reads `Date.now()` (not lru-cache's `ttl`, which reads `performance.now()`), the same clock
 * hotglue's `expires_at` and the emulator use, so a fake clock in tests governs all of them.
 */
export class CredentialsCache<V extends {}> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly byTenant = new Map<string, Set<string>>();
  private readonly inFlight = new Map<string, Flight<V>>();

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, Entry<V>>({
      max: maxEntries,
      dispose: (entry, key) => this.unindex(entry.tenantId, key),
    });
  }

  /**
   * The cached value for `key` while it is fresh; otherwise one shared `load()` (however many callers
   * wait). `fresh: true` skips the cached value and starts a new load, which later callers then share.
   */
  get(key: CredentialsCacheKey, load: () => Promise<Loaded<V>>, fresh = false): Promise<V> {
    const id = cacheId(key);
    if (!fresh) {
      // A load in flight first: next to a still-fresh entry, it is a `fresh` one, started because someone
      // needed newer credentials than the cached ones, so the caller gets those too.
      const pending = this.inFlight.get(id);
      if (pending) return pending.promise;
      const entry = this.entries.get(id);
      if (entry) {
        if (Date.now() < entry.staleAt) return Promise.resolve(entry.value);
        this.entries.delete(id);
      }
    }
    const promise = load().then(
      ({ value, staleAt }) => {
        if (this.inFlight.get(id)?.promise === promise) {
          this.inFlight.delete(id);
          if (Date.now() < staleAt)
            this.store(id, { value, staleAt, tenantId: key.tenantId, entity: key.entity });
        }
        return value;
      },
      (error: unknown) => {
        if (this.inFlight.get(id)?.promise === promise) this.inFlight.delete(id);
        throw error;
      },
    );
    this.inFlight.set(id, { promise, tenantId: key.tenantId, entity: key.entity });
    return promise;
  }

  /**
   * The cached value for `key` when it is fresh and no load is under way for it (a `fresh` load in flight
   * means newer credentials are coming: the caller must wait for those through `get`); else undefined.
   * `id` is `cacheId(key)`, which a caller reading one key often computes once. Synchronous and
   * allocation-free: the provider client's per-call read.
   */
  peek(id: string): V | undefined {
    if (this.inFlight.size !== 0 && this.inFlight.has(id)) return undefined;
    const entry = this.entries.get(id);
    return entry !== undefined && Date.now() < entry.staleAt ? entry.value : undefined;
  }

  /** Drops the tenant's entries (only those of `entity` when given) and detaches their loads in flight. */
  evict(tenantId: string, entity?: string): void {
    const ids = this.byTenant.get(tenantId);
    if (ids) {
      for (const id of [...ids]) {
        if (entity === undefined || this.entries.peek(id)?.entity === entity) this.entries.delete(id);
      }
    }
    for (const [id, flight] of this.inFlight) {
      if (flight.tenantId === tenantId && (entity === undefined || flight.entity === entity)) {
        this.inFlight.delete(id);
      }
    }
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
  }

  /** Cached entries (fresh or stale). */
  get size(): number {
    return this.entries.size;
  }

  private store(id: string, entry: Entry<V>): void {
    this.entries.set(id, entry);
    // After `set`: replacing an entry disposes the old one first, which unindexes the id.
    let ids = this.byTenant.get(entry.tenantId);
    if (!ids) {
      ids = new Set();
      this.byTenant.set(entry.tenantId, ids);
    }
    ids.add(id);
  }

  private unindex(tenantId: string, id: string): void {
    const ids = this.byTenant.get(tenantId);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.byTenant.delete(tenantId);
  }
}

/**
 * One string per key, unambiguous whatever the parts contain (each is length-prefixed), and cheaper than
 * `JSON.stringify` on the hit path.
 */
export function cacheId(key: CredentialsCacheKey): string {
  const { envId, tenantId, kind, flowId, entity, variant } = key;
  return `${envId.length}:${envId}${tenantId.length}:${tenantId}${kind.length}:${kind}${flowId.length}:${flowId}${entity.length}:${entity}${variant}`;
}
