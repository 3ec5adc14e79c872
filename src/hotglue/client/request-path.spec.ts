import { describe, expect, it } from 'vitest';
import { HotglueArgumentError } from '../hotglue.errors.js';
import { encodePathSegment, encodeQuery, fillPathTemplate } from './request-path.js';

describe('encodePathSegment', () => {
  it.each([
    ['dev.example.hotglue.xyz', 'dev.example.hotglue.xyz'],
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['..', '%2E%2E'],
    ['.', '%2E'],
    ['...', '%2E%2E%2E'],
    ['../x', '..%2Fx'],
    ['a..b', 'a..b'],
    ['ü-租户', '%C3%BC-%E7%A7%9F%E6%88%B7'],
    ['a?b#c%d', 'a%3Fb%23c%25d'],
    ['a\\b', 'a%5Cb'],
  ])('%j -> %j', (input, expected) => {
    expect(encodePathSegment(input)).toBe(expected);
  });

  it('keeps ids with dots, slashes and backslashes inside one segment', () => {
    for (const id of ['../../etc', '..\\..', 'x/../y', '...', 'a..b', '.hidden']) {
      const url = new URL(`http://h/env/${encodePathSegment(id)}/linkedSources`);
      expect(url.pathname.split('/')).toHaveLength(4);
      expect(url.pathname.startsWith('/env/')).toBe(true);
    }
  });

  it('documents why "." and ".." are refused, not just encoded: WHATWG URL decodes %2E%2E as ..', () => {
    expect(new URL(`http://h/env/${encodePathSegment('..')}/linkedSources`).pathname).toBe('/linkedSources');
  });
});

describe('fillPathTemplate', () => {
  it('encodes every placeholder', () => {
    expect(fillPathTemplate('/{env}/{flow}/{tenant}/x', { env: 'e.v', flow: 'f', tenant: '../t' })).toBe(
      '/e.v/f/..%2Ft/x',
    );
  });

  it('refuses "." and ".." whole segments', () => {
    expect(() => fillPathTemplate('/{env}/{tenant}', { env: 'e', tenant: '..' })).toThrow(/tenantId.*"\.\."/);
    expect(() => fillPathTemplate('/{env}/{flow}', { env: 'e', flow: '.' })).toThrow(HotglueArgumentError);
  });

  it('refuses a missing or empty value, naming the argument', () => {
    expect(() => fillPathTemplate('/{env}/{tenant}', { env: 'e', tenant: '' })).toThrow(HotglueArgumentError);
    expect(() => fillPathTemplate('/{env}/{tenant}', { env: 'e' })).toThrow(/tenantId/);
  });

  it('refuses a lone surrogate with a typed error naming the argument, not a bare URIError', () => {
    expect(() => fillPathTemplate('/{env}/{tenant}', { env: 'e', tenant: 'a\uD800' })).toThrow(
      HotglueArgumentError,
    );
    expect(() => fillPathTemplate('/{env}/{tenant}', { env: 'e', tenant: 'a\uD800' })).toThrow(/tenantId/);
  });
});

describe('encodeQuery', () => {
  it('drops undefined, stringifies booleans, keeps the given order', () => {
    expect(encodeQuery({ config: true, tap_name: undefined, a: 'x y' })).toBe('?config=true&a=x%20y');
    expect(encodeQuery(undefined)).toBe('');
  });

  it('refuses a lone surrogate in a value with a typed error naming the parameter', () => {
    expect(() => encodeQuery({ tap_name: '\uDC00' })).toThrow(HotglueArgumentError);
    expect(() => encodeQuery({ tap_name: '\uDC00' })).toThrow(/tap_name/);
  });
});
