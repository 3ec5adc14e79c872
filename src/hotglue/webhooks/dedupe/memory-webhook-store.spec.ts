import { describe, expect, it, vi } from 'vitest';
import { MemoryWebhookStore } from './memory-webhook-store.js';

describe('MemoryWebhookStore', () => {
  it('claims once, reports busy while held, done after complete, and claimable again after release', async () => {
    const store = new MemoryWebhookStore();
    expect(await store.claim('k', 'a', 1000)).toBe('claimed');
    expect(await store.claim('k', 'b', 1000)).toBe('busy');
    await store.release('k', 'b'); // not b's: ignored
    expect(await store.claim('k', 'b', 1000)).toBe('busy');
    await store.release('k', 'a');
    expect(await store.claim('k', 'b', 1000)).toBe('claimed');
    await store.complete('k', 'b', 1000);
    expect(await store.claim('k', 'c', 1000)).toBe('done');
  });

  it('expires leases and done marks on its clock', async () => {
    let now = 0;
    const store = new MemoryWebhookStore({ now: () => now });
    await store.claim('k', 'a', 100);
    now = 100;
    expect(await store.claim('k', 'b', 100)).toBe('claimed');
    await store.complete('k', 'b', 50);
    now = 149;
    expect(await store.claim('k', 'c', 100)).toBe('done');
    now = 150;
    expect(await store.claim('k', 'c', 100)).toBe('claimed');
  });

  it('renews only a live claim of its owner, never an expired, foreign or done one', async () => {
    let now = 0;
    const store = new MemoryWebhookStore({ now: () => now });
    await store.claim('k', 'a', 100);
    now = 90;
    expect(await store.renew('k', 'b', 100)).toBe(false);
    expect(await store.renew('k', 'a', 100)).toBe(true);
    now = 180; // past the first lease, inside the renewed one
    expect(await store.claim('k', 'b', 100)).toBe('busy');
    now = 190;
    expect(await store.claim('k', 'b', 100)).toBe('claimed'); // expired: b holds it now
    expect(await store.renew('k', 'a', 100)).toBe(false);
    await store.complete('k', 'b', 1000);
    expect(await store.renew('k', 'b', 100)).toBe(false);
    expect(await store.claim('k', 'c', 100)).toBe('done');
  });

  it('stays within maxEntries, forgetting the oldest first', async () => {
    const store = new MemoryWebhookStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) {
      await store.claim(key, 'o', 1000);
      await store.complete(key, 'o', 1000);
    }
    expect(store.size).toBe(3);
    expect(await store.claim('d', 'x', 1000)).toBe('done');
    expect(await store.claim('a', 'x', 1000)).toBe('claimed');
  });
});

describe('MemoryWebhookStore on its default clock', () => {
  it('a forward wall-clock step does not expire a live lease (monotonic clock)', async () => {
    // The wall clock is mocked before the store exists, so a store reading `Date.now` would see the step.
    let wall = Date.now();
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const store = new MemoryWebhookStore();
      expect(await store.claim('k', 'first', 1_000)).toBe('claimed');
      wall += 60_000;
      expect(await store.claim('k', 'second', 1_000)).toBe('busy');
      expect(await store.renew('k', 'first', 1_000)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});
