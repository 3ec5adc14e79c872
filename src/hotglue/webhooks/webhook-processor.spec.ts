import { describe, expect, it } from 'vitest';
import { HotglueConfigError } from '../hotglue.errors.js';
import { MemoryWebhookStore } from './dedupe/memory-webhook-store.js';
import type { HotglueWebhookStore } from './dedupe/webhook-store.js';
import { validateWebhookOptions } from './webhook-options.js';
import { HotglueWebhookProcessor } from './webhook-processor.js';
import { signHotglueWebhook } from './webhook-signature.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const secret = 'processor-spec-secret';

/** A memory store that records calls and can be told to forget a claim (another owner took it). */
class SpyStore extends MemoryWebhookStore {
  readonly calls: string[] = [];
  renewAnswer: boolean | undefined;

  override async renew(key: string, owner: string, leaseMs: number): Promise<boolean> {
    this.calls.push('renew');
    return this.renewAnswer ?? super.renew(key, owner, leaseMs);
  }

  override async complete(key: string, owner: string, ttlMs: number): Promise<void> {
    this.calls.push('complete');
    return super.complete(key, owner, ttlMs);
  }
}

function deliver(store: HotglueWebhookStore, handlerMs: number) {
  const options = validateWebhookOptions({ secret, store, leaseMs: 150 });
  let runs = 0;
  const processor = new HotglueWebhookProcessor(options, async () => {
    runs += 1;
    await sleep(handlerMs);
  });
  const body = Buffer.from(JSON.stringify({ hello: 'renew', at: 1 }));
  return {
    runs: () => runs,
    receive: () => processor.receive({ kind: 'body', body }, signHotglueWebhook(secret, body)),
  };
}

describe('HotglueWebhookProcessor lease renewal', () => {
  it('renews every leaseMs / 3 while a slow handler runs, then stops and marks done', async () => {
    const store = new SpyStore();
    const d = deliver(store, 400);
    expect(await d.receive()).toMatchObject({ status: 200, outcome: 'processed' });
    const renewals = store.calls.filter((call) => call === 'renew').length;
    expect(renewals).toBeGreaterThanOrEqual(2);
    expect(store.calls.at(-1)).toBe('complete');
    await sleep(200);
    expect(store.calls.filter((call) => call === 'renew').length).toBe(renewals);
  });

  it('a store that stalls longer than leaseMs: the result is not marked done, 503 lease-lost (bounded, not timed)', async () => {
    // Renewals hang (a Redis stall): none confirms the claim, so after leaseMs it may be someone else's.
    const store = new SpyStore();
    const stalled = new Promise<boolean>(() => undefined);
    store.renew = async (key, owner, leaseMs) => {
      store.calls.push('renew');
      void key;
      void owner;
      void leaseMs;
      return stalled;
    };
    const d = deliver(store, 400); // leaseMs 150: the handler outlives the last confirmation
    expect(await d.receive()).toMatchObject({ status: 503, outcome: 'lease-lost' });
    expect(d.runs()).toBe(1);
    expect(store.calls).toContain('renew');
    expect(store.calls).not.toContain('complete');
  });

  it('a store that answers renewals in time keeps the claim across a long handler', async () => {
    const store = new SpyStore();
    const d = deliver(store, 600); // four leases long, renewed every 50 ms
    expect(await d.receive()).toMatchObject({ status: 200, outcome: 'processed' });
  });

  it('a renewal that finds the claim gone: the handlers ran, nothing is marked done, 503 lease-lost', async () => {
    const store = new SpyStore();
    store.renewAnswer = false;
    const d = deliver(store, 200);
    expect(await d.receive()).toMatchObject({ status: 503, outcome: 'lease-lost' });
    expect(d.runs()).toBe(1);
    expect(store.calls).not.toContain('complete');
  });

  it('a renew that throws (synchronously or not) is retried at the next tick and never crashes the process', async () => {
    const store = new SpyStore();
    let calls = 0;
    const renew = MemoryWebhookStore.prototype.renew.bind(store);
    // One failure at a time, each followed by a renewal that works: the claim stays confirmed within leaseMs.
    store.renew = ((key: string, owner: string, leaseMs: number) => {
      calls += 1;
      if (calls === 1) throw new Error('sync failure');
      if (calls === 3) return Promise.reject(new Error('async failure'));
      return renew(key, owner, leaseMs);
    }) as SpyStore['renew'];
    const d = deliver(store, 300);
    expect(await d.receive()).toMatchObject({ status: 200, outcome: 'processed' });
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('a store without renew fails the boot, naming webhooks.store and the fix', () => {
    const store = {
      claim: async () => 'claimed' as const,
      complete: async () => undefined,
      release: async () => undefined,
    } as unknown as HotglueWebhookStore;
    expect(() => validateWebhookOptions({ secret, store })).toThrow(HotglueConfigError);
    expect(() => validateWebhookOptions({ secret, store })).toThrow(
      /webhooks\.store.*renew\(key, owner, leaseMs\)/s,
    );
  });
});
