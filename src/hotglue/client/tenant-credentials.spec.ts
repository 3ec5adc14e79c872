import { describe, expect, it, vi } from 'vitest';
import { TenantCredentials } from './tenant-credentials.js';

// Cache constructions, counted: each one preallocates its LRU's arrays (`cacheSize` long).
const caches = vi.hoisted(() => ({ built: 0 }));
vi.mock('../internal/refreshing-cache.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../internal/refreshing-cache.js')>();
  class CountedCache<V extends {}> extends real.RefreshingCache<V> {
    constructor(...args: ConstructorParameters<typeof real.RefreshingCache<V>>) {
      super(...args);
      caches.built++;
    }
  }
  return { ...real, RefreshingCache: CountedCache };
});

const settings = {
  envId: 'dev.example.hotglue.xyz',
  cacheSize: 10_000,
  refreshMarginMs: 0,
  defaultTtlMs: 60_000,
};

function credentials() {
  const fetchers = {
    linkedSources: vi.fn(async (_tenant: string, tap: string) => [
      { tap, config: { access_token: `token-${fetchers.linkedSources.mock.calls.length}` } },
    ]),
    accessToken: vi.fn(async () => ({ access_token: 'connector-token' })),
  };
  return { store: new TenantCredentials(settings, fetchers), fetchers };
}

describe('TenantCredentials cache', () => {
  it('is built at the first credentials call, not by the constructor, peek or evict', async () => {
    const before = caches.built;
    const { store, fetchers } = credentials();
    const id = store.cacheIdOf('source', 'acme', 'salesforce', 'flow-1', undefined);
    expect(store.peek(id)).toBeUndefined();
    store.evict('acme');
    store.evict('acme', 'salesforce');
    expect(caches.built).toBe(before);

    const first = await store.source('acme', 'salesforce', { flowId: 'flow-1' });
    expect(first.accessToken).toBe('token-1');
    expect(caches.built).toBe(before + 1);
    // Then it caches as before: served from the cache, forgotten by evict, fetched again.
    expect(store.peek(id)).toBe(first);
    expect(await store.source('acme', 'salesforce', { flowId: 'flow-1' })).toBe(first);
    store.evict('acme', 'salesforce');
    expect(store.peek(id)).toBeUndefined();
    expect((await store.source('acme', 'salesforce', { flowId: 'flow-1' })).accessToken).toBe('token-2');
    await store.connector('acme', 'conn-1', { flowId: 'flow-1' });
    expect(fetchers.linkedSources).toHaveBeenCalledTimes(2);
    expect(fetchers.accessToken).toHaveBeenCalledTimes(1);
    expect(caches.built).toBe(before + 1);
  });
});
