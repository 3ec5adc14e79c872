import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAIN_PATH, ProviderBases, retryAfterMs } from './provider-client.js';
import { resolveProviderEntry } from './provider-registry.js';
import { buildTarget, checkTarget, RefusedUrl } from './provider-url.js';

const entry = resolveProviderEntry('acme', {
  baseUrlProperties: ['instance_url'],
  baseUrl: 'https://api.acme.com/v2',
  hostSuffixes: ['.acme.com'],
});

describe('the plain-path fast route', () => {
  it('property: appends exactly what the URL parser would build, never anything else', () => {
    const bases = new ProviderBases();
    const chars = fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=@/:%?#\\ ü".split(''));
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 20 }).map((c) => c.join('')),
        fc.boolean(),
        (path, withInstance) => {
          const properties: Record<string, string> = withInstance
            ? { instance_url: 'https://eu.acme.com/base/' }
            : {};
          const base = bases.get(entry, properties);
          if (base instanceof RefusedUrl || checkTarget(entry, path) || !PLAIN_PATH.test(path)) return;
          const slow = buildTarget(entry, base.url, path, undefined) as URL;
          const fast = `${base.origin}${base.path}${path.startsWith('/') ? '' : '/'}${path}`;
          expect(fast).toBe(slow.href);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('caches a base per credential value and refuses a foreign one', () => {
    const bases = new ProviderBases(2);
    const a = bases.get(entry, { instance_url: 'https://a.acme.com' });
    expect(bases.get(entry, { instance_url: 'https://a.acme.com' })).toBe(a);
    expect(bases.get(entry, { instance_url: 'https://evil.example' })).toBeInstanceOf(RefusedUrl);
    expect(bases.get(entry, { instance_url: 'https://b.acme.com' })).not.toBeInstanceOf(RefusedUrl);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    ['3', 3000],
    ['0', 0],
    [new Date(now + 5000).toUTCString(), 5000],
    [new Date(now - 5000).toUTCString(), 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
    ['-1', undefined],
  ])('%j -> %j', (value, expected) => {
    expect(retryAfterMs(value, now)).toBe(expected);
  });
});
