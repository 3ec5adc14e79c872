import { afterEach, describe, expect, it, vi } from 'vitest';
import { HotglueConfigError, HotglueProviderError } from '../../src/hotglue/index.js';
import { createClient } from '../client/client-harness.js';

// The registry builder, counted: the client calls it through the provider barrel, which re-exports it.
const registry = vi.hoisted(() => ({ builds: 0 }));
vi.mock('../../src/hotglue/provider/provider-registry.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/hotglue/provider/provider-registry.js')>();
  return {
    ...real,
    buildProviderRegistry: (...args: Parameters<typeof real.buildProviderRegistry>) => {
      registry.builds++;
      return real.buildProviderRegistry(...args);
    },
  };
});

// Nothing listens there: no spec below sends a request.
const API_URL = 'http://127.0.0.1:1';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function client(overrides: Parameters<typeof createClient>[1] = {}) {
  const created = await createClient(API_URL, overrides);
  closers.push(created.close);
  return created.client;
}

describe("HotglueClient's provider runtime", () => {
  it('is built at the first provider() call, not at boot, and once per client', async () => {
    const before = registry.builds;
    const first = await client({
      providers: { acme: { baseUrl: 'https://api.acme.test', origins: ['https://api.acme.test'] } },
    });
    expect(registry.builds).toBe(before);

    const hubspot = first.provider('t1', 'hubspot');
    expect(registry.builds).toBe(before + 1);
    // Built-in and host entries both come from that one registry; results are still shared per tenant.
    expect(first.provider('t1', 'hubspot')).toBe(hubspot);
    expect(first.provider('t2', 'acme', { connector: true })).toBeDefined();
    const unknown = (() => {
      try {
        first.provider('t1', 'not-registered');
      } catch (error) {
        return error;
      }
    })();
    expect(unknown).toBeInstanceOf(HotglueProviderError);
    expect((unknown as HotglueProviderError).reason).toBe('unknown-provider');
    expect(registry.builds).toBe(before + 1);

    // Another environment's client has its own registry, built at its own first call.
    const second = await client();
    expect(registry.builds).toBe(before + 1);
    expect(() => second.provider('t1', 'acme')).toThrow(HotglueProviderError);
    expect(registry.builds).toBe(before + 2);
  });

  it('still refuses a bad providers entry at boot, without building the registry', async () => {
    const before = registry.builds;
    const boot = client({ providers: { acme: { baseUrl: 'https://api.acme.test' } } });
    await expect(boot).rejects.toBeInstanceOf(HotglueConfigError);
    await expect(boot).rejects.toThrow(/providers\.acme: needs origins or hostSuffixes/);
    expect(registry.builds).toBe(before);
  });
});
