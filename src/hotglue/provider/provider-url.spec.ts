import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { hotglueProvidersOptionSchema, resolveProviderEntry } from './provider-registry.js';
import {
  buildTarget,
  checkTarget,
  isAllowedOrigin,
  providerBase,
  RefusedUrl,
  redactedUrl,
} from './provider-url.js';

const salesforce = resolveProviderEntry('salesforce', {
  baseUrlProperties: ['instance_url'],
  baseUrl: 'https://login.salesforce.com',
  origins: ['https://login.salesforce.com'],
  hostSuffixes: ['.my.salesforce.com'],
});
const shopify = resolveProviderEntry('shopify', {
  baseUrl: 'https://{shop}.myshopify.com/admin/api/2025-01',
  hostSuffixes: ['.myshopify.com'],
});
const loopback = resolveProviderEntry('emu', {
  baseUrl: 'http://127.0.0.1:4010/_provider/emu',
  origins: ['http://127.0.0.1:4010'],
});

/** The URL a call would go to, or the refusal text. */
function target(entry: typeof salesforce, properties: Record<string, string>, path: string): string {
  const refused = checkTarget(entry, path);
  if (refused) return `refused: ${refused.message}`;
  const base = providerBase(entry, properties);
  if (base instanceof RefusedUrl) return `refused: ${base.message}`;
  const url = buildTarget(entry, base, path, undefined);
  return url instanceof RefusedUrl ? `refused: ${url.message}` : url.href;
}

describe('isAllowedOrigin', () => {
  it.each([
    ['https://acme.my.salesforce.com', true],
    ['https://login.salesforce.com', true],
    ['https://my.salesforce.com', false], // the bare suffix
    ['https://acme.my.salesforce.com.evil.com', false],
    ['https://evilmy.salesforce.com', false],
    ['http://acme.my.salesforce.com', false], // http only when listed exactly
    ['https://acme.my.salesforce.com:8443', false], // another port only when listed exactly
    ['https://acme.my.salesforce.com.', false], // trailing-dot FQDN
    ['https://user:pw@acme.my.salesforce.com', false],
    ['https://127.0.0.1', false],
    ['https://[::1]', false],
  ])('%s -> %s', (url, allowed) => {
    expect(isAllowedOrigin(salesforce, new URL(url))).toBe(allowed);
  });

  it('allows an IP literal and http only when that exact origin is listed', () => {
    expect(isAllowedOrigin(loopback, new URL('http://127.0.0.1:4010/x'))).toBe(true);
    expect(isAllowedOrigin(loopback, new URL('http://127.0.0.1:4011/x'))).toBe(false);
    expect(isAllowedOrigin(loopback, new URL('http://localhost:4010/x'))).toBe(false);
  });
});

describe('providerBase', () => {
  it('takes instance_url when allowed, refuses it (no fallback) when not', () => {
    expect(target(salesforce, { instance_url: 'https://acme.my.salesforce.com' }, '/services/data')).toBe(
      'https://acme.my.salesforce.com/services/data',
    );
    expect(target(salesforce, { instance_url: 'https://attacker.example' }, '/x')).toMatch(
      /^refused: .*instance_url/,
    );
    expect(target(salesforce, { instance_url: 'http://169.254.169.254' }, '/x')).toMatch(/^refused/);
    expect(target(salesforce, {}, '/x')).toBe('https://login.salesforce.com/x');
  });

  it('fills a {placeholder} with one DNS label only', () => {
    expect(target(shopify, { shop: 'acme' }, '/shop.json')).toBe(
      'https://acme.myshopify.com/admin/api/2025-01/shop.json',
    );
    expect(target(shopify, { shop: 'acme.myshopify.com' }, '/shop.json')).toBe(
      'https://acme.myshopify.com/admin/api/2025-01/shop.json',
    );
    for (const shop of ['evil.com/', 'a.b', 'x@evil.com', 'evil.com#', '', '-a']) {
      expect(target(shopify, { shop }, '/shop.json')).toMatch(/^refused/);
    }
  });
});

describe('paths', () => {
  const props = { instance_url: 'https://acme.my.salesforce.com/base' };
  it.each([
    '//evil.com/x',
    '/\\evil.com',
    '/../x',
    '/a/%2e%2e/x',
    '/a/%2E./x',
    '/a/.%2e',
    '/.',
    '/a\r\nHost: evil',
    'https://evil.com/x',
    'http://acme.my.salesforce.com/x',
    'javascript:alert(1)',
    '/x#frag',
  ])('refuses %j', (path) => {
    expect(target(salesforce, props, path)).toMatch(/^refused/);
  });

  it('keeps @, unicode and encoded slashes inside the path of the base origin', () => {
    expect(target(salesforce, props, '/@evil.com')).toBe('https://acme.my.salesforce.com/base/@evil.com');
    expect(target(salesforce, props, '/ünï')).toBe('https://acme.my.salesforce.com/base/%C3%BCn%C3%AF');
    expect(target(salesforce, props, '/a%2fb?x=1')).toBe('https://acme.my.salesforce.com/base/a%2fb?x=1');
    expect(target(salesforce, props, 'relative')).toBe('https://acme.my.salesforce.com/base/relative');
  });

  it('accepts an absolute URL of an allowed origin', () => {
    expect(target(salesforce, props, 'https://other.my.salesforce.com/y')).toBe(
      'https://other.my.salesforce.com/y',
    );
  });

  it('property: no path string moves a call off the base origin and path, or to a non-allowed origin', () => {
    const pieces = fc.constantFrom(
      '/',
      '//',
      '.',
      '..',
      '%2e',
      '%2E',
      '%2f',
      '%5c',
      '\\',
      '@',
      ':',
      '?',
      '#',
      'evil.com',
      '127.0.0.1',
      'ü',
      '\u3002',
      '\uff0e',
      '\uff0f',
      '%40',
      '%00',
      'http:',
      'https:',
      '\t',
      ' ',
      'a',
      '%',
      '[::1]',
    );
    const path = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(path, (input) => {
        const refused = checkTarget(salesforce, input);
        if (refused) return;
        const base = providerBase(salesforce, props) as URL;
        const url = buildTarget(salesforce, base, input, { q: input });
        if (url instanceof RefusedUrl) return;
        expect(isAllowedOrigin(salesforce, url)).toBe(true);
        if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(input)) {
          expect(url.origin).toBe('https://acme.my.salesforce.com');
          expect(url.pathname === '/base' || url.pathname.startsWith('/base/')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('redactedUrl', () => {
  it('redacts query values whose names look secret, keeps the others', () => {
    const url = new URL('https://a.example/x?access_token=SECRETCANARY&page=2&api_key=K');
    const text = redactedUrl(url);
    expect(text).toBe('https://a.example/x?access_token=[REDACTED]&page=2&api_key=[REDACTED]');
    expect(text).not.toContain('SECRETCANARY');
  });
});

describe('providers option schema', () => {
  const issues = (value: unknown) => {
    const result = v.safeParse(hotglueProvidersOptionSchema, value);
    return result.success ? [] : result.issues.map((i) => `${v.getDotPath(i)}: ${i.message}`);
  };

  it('accepts a valid entry', () => {
    expect(issues({ acme: { baseUrl: 'https://api.acme.com', origins: ['https://api.acme.com'] } })).toEqual(
      [],
    );
  });

  it('names the key and the field of each problem', () => {
    expect(issues({ acme: { baseUrl: 'https://api.acme.com' } })).toEqual([
      expect.stringMatching(/^acme: needs origins or hostSuffixes/),
    ]);
    expect(issues({ acme: { baseUrl: 'https://a.com', origins: ['https://a.com/path'] } })[0]).toMatch(
      /^acme\.origins\.0: must be exactly an origin/,
    );
    expect(issues({ acme: { baseUrl: 'https://a.com', hostSuffixes: ['a.com'] } })[0]).toMatch(
      /^acme\.hostSuffixes\.0: /,
    );
    expect(
      issues({ acme: { baseUrl: 'https://a.com', origins: ['https://a.com'], auth: { header: 'Host' } } })[0],
    ).toMatch(/^acme\.auth\.header: /);
    expect(issues({ acme: { origins: ['https://a.com'] } })[0]).toMatch(/^acme: needs baseUrl/);
    expect(issues({ acme: { baseUrl: 'https://a.com', origins: ['https://a.com'], extra: 1 } })[0]).toMatch(
      /^acme/,
    );
  });
});
