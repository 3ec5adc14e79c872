import { LRUCache } from 'lru-cache';

/** A cached value and the epoch millisecond from which it must be replaced. */
interface Entry<V> {
  readonly value: V;
  readonly refreshAt: number;
}

/**
 * A bounded LRU of values that go stale at a known time, with single-flight loading: concurrent misses
 * for one key share one `load()` call. A failed load is not cached; the next call tries again.
 *
 * Staleness is decided with `Date.now()` (not lru-cache's `ttl`, which reads `performance.now()`), so one
 * clock governs both the token's `iat`/`exp` and its refresh.
 */
export class RefreshingCache<V extends {}> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly inFlight = new Map<string, Promise<V>>();
  /** Bumped by `clear()` of everything: a load started before it must not store its (stale) value. */
  private generation = 0;

  constructor(
    maxEntries: number,
    /** Told about every `get`: served from the cache (or an in-flight load), or loading. For metrics. */
    private readonly observer?: { hit(): void; miss(): void },
  ) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The fresh value for `key`, loading it (once, however many callers wait) when absent or stale. */
  get(key: string, load: (key: string) => Promise<{ value: V; refreshAt: number }>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && Date.now() < entry.refreshAt) {
      this.observer?.hit();
      return Promise.resolve(entry.value);
    }

    const pending = this.inFlight.get(key);
    if (pending) {
      this.observer?.hit();
      return pending;
    }
    this.observer?.miss();

    const generation = this.generation;
    const loading = load(key).then(
      ({ value, refreshAt }) => {
        if (generation !== this.generation) return value;
        this.inFlight.delete(key);
        this.entries.set(key, { value, refreshAt });
        return value;
      },
      (error: unknown) => {
        if (generation === this.generation) this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, loading);
    return loading;
  }

  /** Number of cached entries (fresh or stale). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops `key`, or everything. Dropping everything also detaches loads in flight: their callers still get
   * the value, but it is not stored, and the next call loads anew (a key rotation relies on this).
   */
  clear(key?: string): void {
    if (key === undefined) {
      this.generation++;
      this.inFlight.clear();
      this.entries.clear();
    } else this.entries.delete(key);
  }
}
