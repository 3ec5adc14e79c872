import { afterEach, describe, expect, it, vi } from 'vitest';
import { RefreshingCache } from './refreshing-cache.js';

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

  it('clear(key) drops one key, clear() drops all', async () => {
    const cache = new RefreshingCache<{ n: number }>(10);
    const { load } = counter(60_000);
    await cache.get('a', load);
    await cache.get('b', load);
    cache.clear('a');
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
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
