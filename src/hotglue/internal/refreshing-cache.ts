import { LRUCache } from 'lru-cache';

/** A loaded value and the epoch millisecond from which it must not be served any more. */
export interface Loaded<V> {
  readonly value: V;
  /** From this `Date.now()` on the value is loaded again; at or before now on arrival, it is not cached. */
  readonly refreshAt: number;
}

/** Told about every `get`: served from the cache (or a load in flight), or loading. For metrics. */
export interface RefreshingCacheObserver {
  hit(): void;
  miss(): void;
}

/** Per-call choices of `RefreshingCache.get`. */
export interface RefreshingCacheGet {
  /** Skip the cached value and start a new load, which later callers then share. */
  readonly fresh?: boolean;
  /** The group `evict(group)` drops the entry with (a tenant id). */
  readonly group?: string;
  /** The member of the group `evict(group, member)` narrows to (a tap or connector id). */
  readonly member?: string;
}

interface Entry<V> {
  readonly value: V;
  readonly refreshAt: number;
  readonly group: string | undefined;
  readonly member: string | undefined;
}

interface Flight<V> {
  readonly promise: Promise<V>;
  readonly group: string | undefined;
  readonly member: string | undefined;
}

/**
 * A bounded LRU of values that go stale at a known time (tenant tokens, tenant credentials), with
 * single-flight loading: concurrent callers of one id share one `load()`. A failed load is never cached;
 * the next call tries again. Entries can carry a group (and member) so `evict` drops, synchronously and
 * touching only that group's entries, everything of one tenant (an index per group, kept in step by the
 * LRU's `dispose`). A load that `evict` or `clear` overtook still answers the callers waiting for it but is
 * not stored: its value may be what the eviction meant to drop (credentials just revoked, a token signed
 * with a key just rotated out).
 *
 * Staleness reads `Date.now()` (not lru-cache's `ttl`, which reads `performance.now()`): the clock that
 * signs `iat`/`exp` and that hotglue's `expires_at` is read against, so a fake clock in tests governs all.
 */
export class RefreshingCache<V extends {}> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly byGroup = new Map<string, Set<string>>();
  private readonly inFlight = new Map<string, Flight<V>>();

  constructor(
    maxEntries: number,
    private readonly observer?: RefreshingCacheObserver,
  ) {
    this.entries = new LRUCache<string, Entry<V>>({
      // One size unit an entry bounds the count exactly as `max` would, without the arrays `max`
      // preallocates to the bound (two of 10,000 slots for the default size: ~2 ms at every start).
      maxSize: maxEntries,
      sizeCalculation: () => 1,
      dispose: (entry, id) => {
        if (entry.group !== undefined) this.unindex(entry.group, id);
      },
    });
  }

  /**
   * The value cached under `id` while it is fresh; otherwise one shared `load(id)` (however many callers
   * wait). With `fresh`, a new load even next to a fresh value; callers after it join that load rather
   * than take the older cached value.
   */
  get(id: string, load: (id: string) => Promise<Loaded<V>>, options?: RefreshingCacheGet): Promise<V> {
    if (options?.fresh !== true) {
      // `inFlight.size` first: on the hot path (a fresh hit, nothing loading) the map is empty.
      const pending = this.inFlight.size === 0 ? undefined : this.inFlight.get(id);
      if (pending !== undefined) {
        this.observer?.hit();
        return pending.promise;
      }
      const entry = this.entries.get(id);
      if (entry !== undefined) {
        if (Date.now() < entry.refreshAt) {
          this.observer?.hit();
          return Promise.resolve(entry.value);
        }
        this.entries.delete(id);
      }
    }
    this.observer?.miss();
    const group = options?.group;
    const member = options?.member;
    const promise: Promise<V> = load(id).then(
      ({ value, refreshAt }) => {
        // Still the current load for `id`: neither `evict`, `clear` nor a later `fresh` load replaced it.
        if (this.inFlight.get(id)?.promise === promise) {
          this.inFlight.delete(id);
          if (Date.now() < refreshAt) this.store(id, { value, refreshAt, group, member });
        }
        return value;
      },
      (error: unknown) => {
        if (this.inFlight.get(id)?.promise === promise) this.inFlight.delete(id);
        throw error;
      },
    );
    this.inFlight.set(id, { promise, group, member });
    return promise;
  }

  /**
   * The value cached under `id` when it is fresh and no load is under way for it (a `fresh` load in flight
   * means a newer value is coming: the caller must wait for it through `get`); else undefined.
   * Synchronous and allocation-free, for a caller's per-call read.
   */
  peek(id: string): V | undefined {
    if (this.inFlight.size !== 0 && this.inFlight.has(id)) return undefined;
    const entry = this.entries.get(id);
    return entry !== undefined && Date.now() < entry.refreshAt ? entry.value : undefined;
  }

  /** Drops the value cached under `id`. A load in flight for it carries on and is stored: it is newer. */
  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Drops a group's entries (only those of `member` when given) and detaches their loads in flight. */
  evict(group: string, member?: string): void {
    const ids = this.byGroup.get(group);
    if (ids) {
      for (const id of [...ids]) {
        if (member === undefined || this.entries.peek(id)?.member === member) this.entries.delete(id);
      }
    }
    for (const [id, flight] of this.inFlight) {
      if (flight.group === group && (member === undefined || flight.member === member)) {
        this.inFlight.delete(id);
      }
    }
  }

  /** Drops everything and detaches every load in flight: the next call for any id loads anew. */
  clear(): void {
    this.inFlight.clear();
    this.entries.clear();
  }

  /** Cached entries (fresh or stale). */
  get size(): number {
    return this.entries.size;
  }

  private store(id: string, entry: Entry<V>): void {
    this.entries.set(id, entry);
    if (entry.group === undefined) return;
    // After `set`: replacing an entry disposes the old one first, which unindexes the id.
    let ids = this.byGroup.get(entry.group);
    if (!ids) {
      ids = new Set();
      this.byGroup.set(entry.group, ids);
    }
    ids.add(id);
  }

  private unindex(group: string, id: string): void {
    const ids = this.byGroup.get(group);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.byGroup.delete(group);
  }
}
