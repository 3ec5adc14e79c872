import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Loaded, RefreshingCache } from './refreshing-cache.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

afterEach(() => {
  vi.useRealTimers();
});

/** A loader that counts its calls and returns `{ n }` values refreshing `lifetimeMs` after now. */
function counter(lifetimeMs = 1000) {
  let calls = 0;
  const load = vi.fn(async () => {
    calls++;
    return { value: { n: calls }, refreshAt: Date.now() + lifetimeMs };
  });
  return { load };
}

describe('RefreshingCache', () => {
  it('loads once and then serves the cached value until refreshAt', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = counter(1000);
    const first = await cache.get('k', load);
    vi.setSystemTime(T0 + 999);
    expect(await cache.get('k', load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(T0 + 1000);
    expect(await cache.get('k', load)).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load among concurrent misses for a key', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = counter();
    const results = await Promise.all(Array.from({ length: 100 }, () => cache.get('k', load)));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(results).size).toBe(1);
  });

  it('shares one refresh among concurrent callers of a stale entry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = counter(1000);
    await cache.get('k', load);
    vi.setSystemTime(T0 + 5000);
    const results = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', load)));
    expect(load).toHaveBeenCalledTimes(2);
    expect(results.every((r) => r.n === 2)).toBe(true);
  });

  it('does not cache a failure; every waiter sees it and the next call loads again', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const boom = new Error('boom');
    const load = vi
      .fn()
      .mockRejectedValueOnce(boom)
      .mockResolvedValue({ value: { n: 1 }, refreshAt: Infinity });
    const settled = await Promise.allSettled([cache.get('k', load), cache.get('k', load)]);
    expect(settled).toEqual([
      { status: 'rejected', reason: boom },
      { status: 'rejected', reason: boom },
    ]);
    expect(cache.size).toBe(0);
    expect(await cache.get('k', load)).toEqual({ n: 1 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries keys, evicting the least recently used', async () => {
    const cache = new RefreshingCache<{ n: number }>(2);
    const { load } = counter(60_000);
    const a = await cache.get('a', load);
    await cache.get('b', load);
    expect(await cache.get('a', load)).toBe(a); // a is now the most recent
    await cache.get('c', load); // evicts b
    expect(cache.size).toBe(2);
    expect(await cache.get('a', load)).toBe(a);
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get('b', load);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('delete(id) drops one id, clear() drops all', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = counter(60_000);
    await cache.get('a', load);
    await cache.get('b', load);
    cache.delete('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('RefreshingCache.delete() and the observer', () => {
  it('delete(id) drops the cached value, but a load in flight for it is newer and is stored', async () => {
    const cache = new RefreshingCache<string>(10);
    let release!: (value: Loaded<string>) => void;
    const pending = cache.get('k', () => new Promise((resolve) => (release = resolve)));
    cache.delete('k');
    release({ value: 'loaded', refreshAt: Date.now() + 60_000 });
    expect(await pending).toBe('loaded');
    expect(cache.peek('k')).toBe('loaded');
  });

  it('counts a cached value or a shared load as a hit, a load as a miss', async () => {
    let hits = 0;
    let misses = 0;
    const cache = new RefreshingCache<{ n: number }>(10, { hit: () => hits++, miss: () => misses++ });
    const { load } = counter(60_000);
    await Promise.all([cache.get('k', load), cache.get('k', load)]);
    await cache.get('k', load);
    expect({ hits, misses }).toEqual({ hits: 2, misses: 1 });
  });
});

describe('RefreshingCache.clear() with loads in flight', () => {
  it('does not store a value whose load started before clearing everything, and loads anew', async () => {
    const cache = new RefreshingCache<string>(10);
    let release!: (value: { value: string; refreshAt: number }) => void;
    const first = cache.get('k', () => new Promise((resolve) => (release = resolve)));
    cache.clear();
    const second = cache.get('k', async () => ({ value: 'new', refreshAt: Date.now() + 60_000 }));
    release({ value: 'old', refreshAt: Date.now() + 60_000 });
    expect(await first).toBe('old'); // its caller still gets it
    expect(await second).toBe('new');
    expect(await cache.get('k', async () => ({ value: 'unused', refreshAt: 0 }))).toBe('new');
  });
});

/** Credentials-style entries: grouped by tenant, member the tap or connector id. */
const key = (tenantId: string, entity = 'salesforce', flowId = 'f1') => ({
  tenantId,
  entity,
  flowId,
  group: tenantId,
  member: entity,
});
const idOf = (k: { tenantId: string; entity: string; flowId: string }) =>
  `${k.tenantId}/${k.entity}/${k.flowId}`;

/** `cache.get` of the credentials-style entry `key(tenantId, entity, flowId)`, or a `fresh` one. */
function getAt<V extends {}>(
  cache: RefreshingCache<V>,
  load: () => Promise<Loaded<V>>,
  tenantId: string,
  entityOrFresh?: string | { fresh: boolean },
  flowId?: string,
): Promise<V> {
  const entity = typeof entityOrFresh === 'string' ? entityOrFresh : undefined;
  const k = key(tenantId, entity, flowId);
  return cache.get(idOf(k), load, { ...k, fresh: typeof entityOrFresh === 'object' && entityOrFresh.fresh });
}

/** A loader that counts its calls and resolves to a new object each time, stale after `ttlMs`. */
function credentialsCounter(ttlMs = 60_000) {
  let calls = 0;
  const load = vi.fn(async () => {
    calls += 1;
    return { value: { n: calls }, refreshAt: Date.now() + ttlMs };
  });
  return { load, calls: () => calls };
}

describe('RefreshingCache with fresh loads, peek and grouped eviction (tenant credentials)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
  });
  afterEach(() => vi.useRealTimers());

  it('peek answers what get would serve from the cache: fresh only, never during a fresh load, never after eviction', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = credentialsCounter(60_000);
    const id = idOf(key('a'));
    expect(cache.peek(id)).toBeUndefined();
    expect(await getAt(cache, load, 'a')).toEqual({ n: 1 });
    expect(cache.peek(id)).toEqual({ n: 1 });
    expect(cache.peek(idOf(key('a', 'hubspot')))).toBeUndefined();
    // A fresh load in flight: newer credentials are coming, so peek defers to get (which joins the load).
    const pending = getAt(cache, load, 'a', { fresh: true });
    expect(cache.peek(id)).toBeUndefined();
    expect(await getAt(cache, load, 'a')).toEqual({ n: 2 });
    await pending;
    expect(cache.peek(id)).toEqual({ n: 2 });
    vi.setSystemTime(Date.now() + 60_000);
    expect(cache.peek(id)).toBeUndefined();
    expect(await getAt(cache, load, 'a')).toEqual({ n: 3 });
    cache.evict('a', 'salesforce');
    expect(cache.peek(id)).toBeUndefined();
  });

  it('serves the cached value until refreshAt, then loads again', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = credentialsCounter(60_000);
    expect(await getAt(cache, load, 'a')).toEqual({ n: 1 });
    vi.setSystemTime(Date.now() + 59_999);
    expect(await getAt(cache, load, 'a')).toEqual({ n: 1 });
    vi.setSystemTime(Date.now() + 1);
    expect(await getAt(cache, load, 'a')).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store a value that is already stale', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = credentialsCounter(0);
    await getAt(cache, load, 'a');
    await getAt(cache, load, 'a');
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('shares one load among concurrent callers; fresh starts a new one that later callers share', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = credentialsCounter();
    const first = await Promise.all(Array.from({ length: 50 }, () => getAt(cache, load, 'a')));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(first).size).toBe(1);
    const fresh = getAt(cache, load, 'a', { fresh: true });
    const joined = getAt(cache, load, 'a');
    expect(await fresh).toEqual({ n: 2 });
    expect(await joined).toBe(await fresh);
    expect(await getAt(cache, load, 'a')).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never caches a failure', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const failing = vi.fn(async () => {
      throw new Error('nope');
    });
    await expect(Promise.all([getAt(cache, failing, 'a'), getAt(cache, failing, 'a')])).rejects.toThrow(
      'nope',
    );
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(getAt(cache, failing, 'a')).rejects.toThrow('nope');
    expect(failing).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('evicts one entity of a tenant, or the whole tenant, and nothing of other tenants', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = credentialsCounter();
    await getAt(cache, load, 'a', 'salesforce');
    await getAt(cache, load, 'a', 'salesforce', 'f2');
    await getAt(cache, load, 'a', 'hubspot');
    await getAt(cache, load, 'b', 'salesforce');
    expect(cache.size).toBe(4);
    cache.evict('a', 'salesforce');
    expect(cache.size).toBe(2);
    cache.evict('a');
    expect(cache.size).toBe(1);
    cache.evict('nobody');
    expect(cache.size).toBe(1);
    expect(await getAt(cache, load, 'b', 'salesforce')).toEqual({ n: 4 });
  });

  it('does not store a load an eviction overtook, but still answers its callers', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = vi.fn(async () => {
      await gate;
      return { value: { n: 1 }, refreshAt: Date.now() + 60_000 };
    });
    const pending = getAt(cache, slow, 'a');
    cache.evict('a', 'salesforce');
    release();
    expect(await pending).toEqual({ n: 1 });
    expect(cache.size).toBe(0);
  });

  it('stays bounded, and the tenant index follows LRU evictions', async () => {
    const cache = new RefreshingCache<{ n: number }>(3);
    const { load } = credentialsCounter();
    for (const tenant of ['a', 'b', 'c', 'd', 'e']) await getAt(cache, load, tenant);
    expect(cache.size).toBe(3);
    cache.evict('a');
    cache.evict('e');
    expect(cache.size).toBe(2);
    // Re-adding an evicted tenant works (its index entry was cleaned up, not left dangling).
    await getAt(cache, load, 'a');
    cache.evict('a');
    expect(cache.size).toBe(2);
  });
});
