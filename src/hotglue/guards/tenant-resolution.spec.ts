import { describe, expect, it } from 'vitest';
import { resolveTenant } from './tenant-resolution.js';

const resolve = (
  principalTenants: readonly unknown[] | undefined,
  requested: string[],
  defaultToOnlyTenant = true,
) => resolveTenant({ principalTenants, requested, defaultToOnlyTenant });

describe('resolveTenant', () => {
  it('uses the only tenant when none is named', () => {
    expect(resolve(['a'], [])).toEqual({ kind: 'ok', tenantId: 'a' });
  });
  it('refuses to guess when default-to-only-tenant is off', () => {
    expect(resolve(['a'], [], false)).toEqual({ kind: 'ambiguous' });
  });
  it('accepts a named tenant the principal owns', () => {
    expect(resolve(['a', 'b'], ['b'])).toEqual({ kind: 'ok', tenantId: 'b' });
  });
  it.each([
    ['no principal', undefined, [], 'unauthenticated'],
    ['several tenants, none named', ['a', 'b'], [], 'ambiguous'],
    ['no tenants, none named', [], [], 'no-tenants'],
    ['no tenants, one named', [], ['a'], 'forbidden'],
    ['foreign tenant', ['a'], ['b'], 'forbidden'],
    ['case variant is another tenant', ['a'], ['A'], 'forbidden'],
    ['duplicate', ['a'], ['a', 'a'], 'duplicate'],
    ['duplicate checked before ownership', ['a'], ['b', 'c'], 'duplicate'],
    ['traversal', ['a'], ['../a'], 'malformed'],
    ['empty', ['a'], [''], 'malformed'],
    ['control character', ['a'], ['a\u0000'], 'malformed'],
    ['malformed even if the principal lists it', ['a b'], ['a b'], 'malformed'],
  ] as const)('%s -> %s', (_name, tenants, requested, kind) => {
    expect(resolve(tenants as readonly unknown[] | undefined, [...requested]).kind).toBe(kind);
  });
  it('treats a tenant listed twice by the principal as one tenant', () => {
    expect(resolve(['a', 'a'], [])).toEqual({ kind: 'ok', tenantId: 'a' });
  });
  it('ignores non-string entries of the principal list', () => {
    expect(resolve([42, 'a'], [])).toEqual({ kind: 'ok', tenantId: 'a' });
  });
});
