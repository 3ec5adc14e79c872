import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialsCache, type CredentialsCacheKey, cacheId } from './credentials-cache.js';

const key = (tenantId: string, entity = 'salesforce', flowId = 'f1'): CredentialsCacheKey => ({
  envId: 'env',
  tenantId,
  kind: 'source',
  flowId,
  entity,
  variant: '*',
});

/** A loader that counts its calls and resolves to a new object each time, stale after `ttlMs`. */
function counter(ttlMs = 60_000) {
  let calls = 0;
  const load = vi.fn(async () => {
    calls += 1;
    return { value: { n: calls }, staleAt: Date.now() + ttlMs };
  });
  return { load, calls: () => calls };
}

describe('CredentialsCache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
  });
  afterEach(() => vi.useRealTimers());

  it('peek answers what get would serve from the cache: fresh only, never during a fresh load, never after eviction', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const { load } = counter(60_000);
    const id = cacheId(key('a'));
    expect(cache.peek(id)).toBeUndefined();
    expect(await cache.get(key('a'), load)).toEqual({ n: 1 });
    expect(cache.peek(id)).toEqual({ n: 1 });
    expect(cache.peek(cacheId(key('a', 'hubspot')))).toBeUndefined();
    // A fresh load in flight: newer credentials are coming, so peek defers to get (which joins the load).
    const pending = cache.get(key('a'), load, true);
    expect(cache.peek(id)).toBeUndefined();
    expect(await cache.get(key('a'), load)).toEqual({ n: 2 });
    await pending;
    expect(cache.peek(id)).toEqual({ n: 2 });
    vi.setSystemTime(Date.now() + 60_000);
    expect(cache.peek(id)).toBeUndefined();
    expect(await cache.get(key('a'), load)).toEqual({ n: 3 });
    cache.evict('a', 'salesforce');
    expect(cache.peek(id)).toBeUndefined();
  });

  it('serves the cached value until staleAt, then loads again', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const { load } = counter(60_000);
    expect(await cache.get(key('a'), load)).toEqual({ n: 1 });
    vi.setSystemTime(Date.now() + 59_999);
    expect(await cache.get(key('a'), load)).toEqual({ n: 1 });
    vi.setSystemTime(Date.now() + 1);
    expect(await cache.get(key('a'), load)).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store a value that is already stale', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const { load } = counter(0);
    await cache.get(key('a'), load);
    await cache.get(key('a'), load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('shares one load among concurrent callers; fresh starts a new one that later callers share', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const { load } = counter();
    const first = await Promise.all(Array.from({ length: 50 }, () => cache.get(key('a'), load)));
    expect(load).toHaveBeenCalledTimes(1);
    expect(new Set(first).size).toBe(1);
    const fresh = cache.get(key('a'), load, true);
    const joined = cache.get(key('a'), load);
    expect(await fresh).toEqual({ n: 2 });
    expect(await joined).toBe(await fresh);
    expect(await cache.get(key('a'), load)).toEqual({ n: 2 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never caches a failure', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const failing = vi.fn(async () => {
      throw new Error('nope');
    });
    await expect(Promise.all([cache.get(key('a'), failing), cache.get(key('a'), failing)])).rejects.toThrow(
      'nope',
    );
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(cache.get(key('a'), failing)).rejects.toThrow('nope');
    expect(failing).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('evicts one entity of a tenant, or the whole tenant, and nothing of other tenants', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    const { load } = counter();
    await cache.get(key('a', 'salesforce'), load);
    await cache.get(key('a', 'salesforce', 'f2'), load);
    await cache.get(key('a', 'hubspot'), load);
    await cache.get(key('b', 'salesforce'), load);
    expect(cache.size).toBe(4);
    cache.evict('a', 'salesforce');
    expect(cache.size).toBe(2);
    cache.evict('a');
    expect(cache.size).toBe(1);
    cache.evict('nobody');
    expect(cache.size).toBe(1);
    expect(await cache.get(key('b', 'salesforce'), load)).toEqual({ n: 4 });
  });

  it('does not store a load an eviction overtook, but still answers its callers', async () => {
    const cache = new CredentialsCache<{ n: number }>(10);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = vi.fn(async () => {
      await gate;
      return { value: { n: 1 }, staleAt: Date.now() + 60_000 };
    });
    const pending = cache.get(key('a'), slow);
    cache.evict('a', 'salesforce');
    release();
    expect(await pending).toEqual({ n: 1 });
    expect(cache.size).toBe(0);
  });

  it('stays bounded, and the tenant index follows LRU evictions', async () => {
    const cache = new CredentialsCache<{ n: number }>(3);
    const { load } = counter();
    for (const tenant of ['a', 'b', 'c', 'd', 'e']) await cache.get(key(tenant), load);
    expect(cache.size).toBe(3);
    cache.evict('a');
    cache.evict('e');
    expect(cache.size).toBe(2);
    // Re-adding an evicted tenant works (its index entry was cleaned up, not left dangling).
    await cache.get(key('a'), load);
    cache.evict('a');
    expect(cache.size).toBe(2);
  });
});
